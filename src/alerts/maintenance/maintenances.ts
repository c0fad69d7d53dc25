// Scheduled maintenance operations: announce, change, cancel and list windows, and which
// windows run at a minute. Each change and its audit entry are one D1 batch. A window whose
// times are refused is a 400 (validation) before it reaches here; a change that would make
// its window invalid, or more than MAX_PENDING_WINDOWS pending, is a conflict.
import { and, asc, eq, gt, lte, ne, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert, auditInsertIf } from "../../audit/audit-entry";
import { maintenancesTable } from "../../db/schema";
import { newRecordId } from "../../shared/ids";
import { OperationError } from "../../shared/operation-error";
import {
  covers,
  MAX_PENDING_WINDOWS,
  type MaintenanceChange,
  type NewMaintenance,
  windowProblem,
} from "./maintenance-window";

export type MaintenanceRow = typeof maintenancesTable.$inferSelect;

/** Who changes which project's windows. */
export interface MaintenanceActor {
  db: D1Database;
  who: Actor;
  projectId: string;
}

/** The window as the API, the audit log and the status page's JSON name its fields. */
export const maintenanceView = (row: MaintenanceRow) => ({
  id: row.id,
  title: row.title,
  text: row.body,
  starts_at: row.startsAt,
  ends_at: row.endsAt,
  deployments: row.deployments,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

async function pendingCount(db: D1Database, projectId: string, now: number, except?: string) {
  const rows = await drizzle(db)
    .select({ id: maintenancesTable.id })
    .from(maintenancesTable)
    .where(
      and(
        eq(maintenancesTable.projectId, projectId),
        gt(maintenancesTable.endsAt, now),
        except === undefined ? undefined : ne(maintenancesTable.id, except),
      ),
    )
    .limit(MAX_PENDING_WINDOWS + 1);
  return rows.length;
}

function refusePast(endsAt: number, now: number) {
  if (endsAt <= now) {
    throw new OperationError("conflict", "The window has already ended: ends_at is in the past");
  }
}

export async function createMaintenance(by: MaintenanceActor, input: NewMaintenance) {
  const now = Date.now();
  refusePast(input.ends_at, now);
  if ((await pendingCount(by.db, by.projectId, now)) >= MAX_PENDING_WINDOWS) {
    throw new OperationError(
      "conflict",
      `At most ${MAX_PENDING_WINDOWS} maintenance windows may be scheduled or running`,
    );
  }
  const row: MaintenanceRow = {
    id: newRecordId("mnt"),
    projectId: by.projectId,
    title: input.title,
    body: input.text,
    startsAt: input.starts_at,
    endsAt: input.ends_at,
    deployments: input.deployments,
    createdAt: now,
    updatedAt: now,
  };
  const db = drizzle(by.db);
  await db.batch([
    db.insert(maintenancesTable).values(row),
    auditInsert(by.db, by.who, {
      projectId: by.projectId,
      action: "maintenance.create",
      target: row.id,
      before: null,
      after: maintenanceView(row),
    }),
  ]);
  return row;
}

export async function findMaintenance(db: D1Database, projectId: string, id: string) {
  const [row] = await drizzle(db)
    .select()
    .from(maintenancesTable)
    .where(and(eq(maintenancesTable.id, id), eq(maintenancesTable.projectId, projectId)));
  if (!row) throw new OperationError("not_found", `Maintenance '${id}' not found`);
  return row;
}

export async function changeMaintenance(
  by: MaintenanceActor,
  id: string,
  change: MaintenanceChange,
) {
  const before = await findMaintenance(by.db, by.projectId, id);
  const now = Date.now();
  const after: MaintenanceRow = {
    ...before,
    title: change.title ?? before.title,
    body: change.text ?? before.body,
    startsAt: change.starts_at ?? before.startsAt,
    endsAt: change.ends_at ?? before.endsAt,
    deployments: change.deployments ?? before.deployments,
    updatedAt: Math.max(now, before.updatedAt + 1),
  };
  const problem = windowProblem({ starts_at: after.startsAt, ends_at: after.endsAt });
  if (problem) throw new OperationError("conflict", `${problem.path}: ${problem.message}`);
  if (change.ends_at !== undefined) refusePast(after.endsAt, now);
  const db = drizzle(by.db);
  const asRead = and(
    eq(maintenancesTable.id, id),
    eq(maintenancesTable.updatedAt, before.updatedAt),
  );
  const unchanged = sql`EXISTS (SELECT 1 FROM ${maintenancesTable} WHERE ${asRead})`;
  const [, [written]] = await db.batch([
    auditInsertIf(by.db, by.who, unchanged, {
      projectId: by.projectId,
      action: "maintenance.update",
      target: id,
      before: maintenanceView(before),
      after: maintenanceView(after),
    }),
    db.update(maintenancesTable).set(after).where(asRead).returning(),
  ]);
  if (!written) throw new OperationError("conflict", "The window changed meanwhile; try again");
  return written;
}

export async function deleteMaintenance(by: MaintenanceActor, id: string) {
  const before = await findMaintenance(by.db, by.projectId, id);
  const db = drizzle(by.db);
  await db.batch([
    db.delete(maintenancesTable).where(eq(maintenancesTable.id, id)),
    auditInsert(by.db, by.who, {
      projectId: by.projectId,
      action: "maintenance.delete",
      target: id,
      before: maintenanceView(before),
      after: null,
    }),
  ]);
  return before;
}

/** The project's windows ending after `since`, earliest start first (bounded by the pending cap). */
export function maintenancesSince(db: D1Database, projectId: string, since: number, limit = 200) {
  return drizzle(db)
    .select()
    .from(maintenancesTable)
    .where(and(eq(maintenancesTable.projectId, projectId), gt(maintenancesTable.endsAt, since)))
    .orderBy(asc(maintenancesTable.startsAt), asc(maintenancesTable.id))
    .limit(limit);
}

/** Whether a window of the project covering the deployment runs at `at` (one indexed read). */
export async function underMaintenance(
  db: D1Database,
  d: { projectId: string; environment: string; slug: string },
  at: number,
): Promise<boolean> {
  const rows = await drizzle(db)
    .select({ deployments: maintenancesTable.deployments })
    .from(maintenancesTable)
    .where(
      and(
        eq(maintenancesTable.projectId, d.projectId),
        gt(maintenancesTable.endsAt, at),
        lte(maintenancesTable.startsAt, at),
      ),
    );
  return rows.some((w) => covers(w, d));
}
