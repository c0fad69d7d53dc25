// What people do to probes: create, change (including pause and resume), delete. The API
// routes (/v1/probes) and the dashboard's probe settings both call these, so the two share
// one validation and one operation. Each change and its audit entry (secrets masked, as
// toProbe shows them) are one D1 batch. A change is guarded by the row as read (its
// updated_at, which every write moves forward): of two concurrent edits one lands and the
// other is a conflict; the dashboard also passes the updated_at its form showed.
// Field problems (a URL refused as an outbound target, secret headers to give again for a
// new origin) are 400s naming the field; the limits are 409s (probe-limits.ts).
import { and, eq, exists } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert, auditInsertIf } from "../audit/audit-entry";
import { deploymentsTable, probeRunsTable, probesTable } from "../db/schema";
import { applyUpdate, definitionFromCreate, secretsToRenew } from "../probes/definition";
import type { CreateProbe, UpdateProbe } from "../probes/probe-schema";
import { newRecordId } from "../shared/ids";
import { OperationError } from "../shared/operation-error";
import { minuteOf } from "../shared/time";
import { fieldIssuesError } from "./errors";
import { checkOutboundTarget } from "./outbound-target";
import { checkProbeLimits } from "./probe-limits";
import { type ProbeRow, storedProbe, toProbe } from "./probe-schema";

/** Who acts on which project's probes (env for the outbound and limit checks). */
export interface ProbeActor {
  env: Env;
  who: Actor;
  projectId: string;
}

export async function findProbe(db: D1Database, projectId: string, id: string): Promise<ProbeRow> {
  const [row] = await drizzle(db)
    .select()
    .from(probesTable)
    .where(and(eq(probesTable.id, id), eq(probesTable.projectId, projectId)));
  if (!row) throw new OperationError("not_found", `Probe '${id}' not found`);
  return row;
}

/** Creates a probe (input valid by CreateProbeSchema); its deployment too if new. */
export async function createProbe(by: ProbeActor, input: CreateProbe): Promise<ProbeRow> {
  const { projectId } = by;
  const { definition, secretHeaders } = definitionFromCreate(input);
  checkOutboundTarget(by.env, definition.url);
  const now = Date.now();
  const deploymentId = `${projectId}:${definition.environment}:${definition.deployment}`;
  await checkProbeLimits(by.env, projectId, deploymentId);
  const row: ProbeRow = {
    id: newRecordId("prb"),
    projectId,
    deploymentId,
    definition,
    secretHeaders,
    enabled: definition.enabled,
    // Due at the next tick.
    nextRunAt: minuteOf(now),
    createdAt: now,
    updatedAt: now,
  };
  const db = drizzle(by.env.DB);
  await db.batch([
    // The deployment exists from now on (its incidents need it), even before real traffic.
    db
      .insert(deploymentsTable)
      .values({
        id: deploymentId,
        projectId,
        environment: definition.environment,
        slug: definition.deployment,
        firstSeen: now,
        lastSeen: now,
      })
      .onConflictDoNothing(),
    db.insert(probesTable).values(row),
    auditInsert(by.env.DB, by.who, {
      projectId,
      action: "probe.create",
      target: row.id,
      before: null,
      after: toProbe(row),
    }),
  ]);
  return row;
}

/**
 * Applies `patch` to `before` (as read). With `expectedUpdatedAt` (the dashboard's form
 * carries the updated_at it showed), a probe changed since is a conflict; the write itself
 * only lands if the row is still as read.
 */
export async function updateProbe(
  by: ProbeActor,
  before: ProbeRow,
  patch: UpdateProbe,
  expectedUpdatedAt?: number,
): Promise<ProbeRow> {
  if (expectedUpdatedAt !== undefined && expectedUpdatedAt !== before.updatedAt) {
    throw new OperationError(
      "conflict",
      `Probe '${before.definition.name}' was changed by someone else since you opened it; reload to see the change`,
    );
  }
  const renew = secretsToRenew(storedProbe(before), patch);
  if (renew.length > 0) {
    throw fieldIssuesError(
      renew.map((name) => ({
        path: `secret_headers.${name}`,
        message:
          "the URL moves to another origin: give this secret header again (or null to drop it)",
      })),
    );
  }
  const next = applyUpdate(storedProbe(before), patch);
  checkOutboundTarget(by.env, next.definition.url);
  const after: ProbeRow = {
    ...before,
    definition: next.definition,
    secretHeaders: next.secretHeaders,
    enabled: next.definition.enabled,
    updatedAt: Math.max(Date.now(), before.updatedAt + 1),
  };
  const db = drizzle(by.env.DB);
  const asRead = and(
    eq(probesTable.projectId, by.projectId),
    eq(probesTable.id, before.id),
    eq(probesTable.updatedAt, before.updatedAt),
  );
  const unchanged = exists(db.select({ id: probesTable.id }).from(probesTable).where(asRead));
  const [, updated] = await db.batch([
    auditInsertIf(by.env.DB, by.who, unchanged, {
      projectId: by.projectId,
      action: "probe.update",
      target: before.id,
      before: toProbe(before),
      after: toProbe(after),
    }),
    db.update(probesTable).set(after).where(asRead).returning({ id: probesTable.id }),
  ]);
  if (updated.length === 0) {
    throw new OperationError("conflict", "The probe changed meanwhile; reload and try again");
  }
  return after;
}

/** Deletes a probe and its runs. */
export async function deleteProbe(by: ProbeActor, id: string): Promise<ProbeRow> {
  const before = await findProbe(by.env.DB, by.projectId, id);
  const db = drizzle(by.env.DB);
  await db.batch([
    db.delete(probeRunsTable).where(eq(probeRunsTable.probeId, before.id)),
    db.delete(probesTable).where(eq(probesTable.id, before.id)),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "probe.delete",
      target: before.id,
      before: toProbe(before),
      after: null,
    }),
  ]);
  return before;
}
