// What people do to an incident: acknowledge, silence, resolve by hand, show or hide on the
// public page. Each writes the incident-machine state JSON and the matching columns together,
// so the next evaluation tick honours it, and its audit entry in the same D1 batch. The API
// routes and the dashboard's forms both call these, so the two cannot disagree.
import { and, eq, exists, isNotNull, ne, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsertIf } from "../../audit/audit-entry";
import { budgetsTable, deploymentsTable, incidentsTable } from "../../db/schema";
import { OperationError } from "../../shared/operation-error";
import type { IncidentState } from "./incident-machine";
import { budgetColumns, budgetOwnsIncident, neverPublic } from "./incident-owner";

export type IncidentRow = typeof incidentsTable.$inferSelect;

/** Who acts on which project's incidents. */
export interface IncidentActor {
  db: D1Database;
  who: Actor;
  projectId: string;
}

/**
 * A listed (not inactive) incident of the project with its owner: its deployment, or the
 * budget a budget alert belongs to (src/alerts/incidents/incident-owner.ts); not_found
 * otherwise, also when its deployment or budget was deleted.
 */
export async function findIncident(db: D1Database, projectId: string, id: string) {
  const [found] = await drizzle(db)
    .select({ incident: incidentsTable, deployment: deploymentsTable, budget: budgetColumns })
    .from(incidentsTable)
    .leftJoin(deploymentsTable, eq(deploymentsTable.id, incidentsTable.deploymentId))
    .leftJoin(budgetsTable, budgetOwnsIncident)
    .where(
      and(
        eq(incidentsTable.id, id),
        eq(incidentsTable.projectId, projectId),
        ne(incidentsTable.status, "inactive"),
        or(isNotNull(deploymentsTable.id), isNotNull(budgetsTable.id)),
      ),
    );
  if (!found) throw new OperationError("not_found", `Incident '${id}' not found`);
  return found;
}

/** The incident's owner, as the actions hand it back beside the changed row. */
const ownerOf = (found: Awaited<ReturnType<typeof findIncident>>) => ({
  deployment: found.deployment,
  budget: found.budget,
});

const auditView = (
  row: Pick<IncidentRow, "status" | "ackedAt" | "silencedUntil" | "resolvedAt">,
) => ({
  status: row.status,
  acked_at: row.ackedAt,
  silenced_until: row.silencedUntil,
  resolved_at: row.resolvedAt,
});

export type IncidentChange = Partial<IncidentState> &
  Partial<Pick<IncidentRow, "status" | "resolvedAt" | "public">>;

/** The columns a change writes: the state JSON and the columns that mirror it. */
export function incidentSet(before: IncidentRow, change: IncidentChange) {
  const { status, resolvedAt, public: shown, ...stateChange } = change;
  return {
    state: { ...before.state, ...stateChange, ...(status ? { status } : {}) },
    ...(status ? { status } : {}),
    ...(resolvedAt === undefined ? {} : { resolvedAt }),
    ...(shown === undefined ? {} : { public: shown }),
    ...(stateChange.acked_at === undefined ? {} : { ackedAt: stateChange.acked_at }),
    ...(stateChange.silenced_until === undefined
      ? {}
      : { silencedUntil: stateChange.silenced_until }),
    updatedAt: Date.now(),
  };
}

/**
 * Writes the change only if the row is as we read it: the evaluator rewrites the whole
 * state every minute, so a concurrent tick makes this a conflict rather than lose an update.
 * The audit entry carries the same guard and runs first in the batch, so it is written
 * exactly when the change is.
 */
async function update(
  by: IncidentActor,
  action: string,
  before: IncidentRow,
  change: IncidentChange,
  view: (row: IncidentRow) => unknown = auditView,
): Promise<IncidentRow> {
  const set = incidentSet(before, change);
  const db = drizzle(by.db);
  const asRead = and(
    eq(incidentsTable.id, before.id),
    eq(incidentsTable.updatedAt, before.updatedAt),
  );
  const unchanged = exists(db.select({ id: incidentsTable.id }).from(incidentsTable).where(asRead));
  const [, [after]] = await db.batch([
    auditInsertIf(by.db, by.who, unchanged, {
      projectId: by.projectId,
      action,
      target: before.id,
      before: view(before),
      after: view({ ...before, ...set }),
    }),
    db.update(incidentsTable).set(set).where(asRead).returning(),
  ]);
  if (!after) throw new OperationError("conflict", "The incident changed meanwhile; try again");
  return after;
}

/** Shows or hides an incident on the public status page (budget and user-share ones never show). */
export async function setIncidentPublic(by: IncidentActor, id: string, shown: boolean) {
  const found = await findIncident(by.db, by.projectId, id);
  if (shown && neverPublic(found.incident.ruleId)) {
    throw new OperationError(
      "conflict",
      `Incident '${id}' is a spend alert (a budget's or one naming a user): it is never shown on a public status page`,
    );
  }
  const row =
    found.incident.public === shown
      ? found.incident
      : await update(by, "incident.visibility", found.incident, { public: shown }, (r) => ({
          public: r.public,
        }));
  return { row, ...ownerOf(found) };
}

function requireOpen(row: IncidentRow, verb: string): void {
  if (row.status === "resolved") {
    throw new OperationError(
      "conflict",
      `Incident '${row.id}' is resolved; there is nothing to ${verb}`,
    );
  }
}

/** Acknowledges an open incident (the first ack's time is kept). */
export async function acknowledgeIncident(by: IncidentActor, id: string) {
  const found = await findIncident(by.db, by.projectId, id);
  requireOpen(found.incident, "acknowledge");
  // Acking twice keeps the first time; the machine clears acks when a new episode starts.
  const row =
    found.incident.ackedAt === null
      ? await update(by, "incident.ack", found.incident, { acked_at: Date.now() })
      : found.incident;
  return { row, ...ownerOf(found) };
}

/** Silences an incident's (deployment, rule) until `until`. */
export async function silenceIncident(by: IncidentActor, id: string, until: number) {
  const found = await findIncident(by.db, by.projectId, id);
  // The silence belongs to the (deployment, rule) state, so it also covers a new episode.
  const row = await update(by, "incident.silence", found.incident, { silenced_until: until });
  return { row, ...ownerOf(found) };
}

/** Resolves an open incident by hand: no notification; a breach still there opens a new one. */
export async function resolveIncident(by: IncidentActor, id: string) {
  const found = await findIncident(by.db, by.projectId, id);
  requireOpen(found.incident, "resolve");
  const now = Date.now();
  const row = await update(by, "incident.resolve", found.incident, {
    status: "resolved",
    resolved_at: now,
    resolvedAt: now,
  });
  return { row, ...ownerOf(found) };
}
