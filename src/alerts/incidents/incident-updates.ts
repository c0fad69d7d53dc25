// Incident updates written by people. An update is stored with its audit entry and the
// incident's change in one D1 batch, all guarded by "the incident is as read", so a concurrent
// evaluation tick makes it a conflict. A `resolved` update on an open incident resolves it by
// hand, as resolveIncident does.
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditInsertIf } from "../../audit/audit-entry";
import { incidentsTable, incidentUpdatesTable } from "../../db/schema";
import { newRecordId } from "../../shared/ids";
import { OperationError } from "../../shared/operation-error";
import { findIncident, type IncidentActor, incidentSet } from "./incident-actions";
import type { NewIncidentUpdate } from "./update-text";

export type IncidentUpdateRow = typeof incidentUpdatesTable.$inferSelect;

/** Writes a status update on an open incident (a conflict on a resolved one). */
export async function postIncidentUpdate(by: IncidentActor, id: string, input: NewIncidentUpdate) {
  const { projectId } = by;
  const found = await findIncident(by.db, projectId, id);
  const before = found.incident;
  if (before.status === "resolved") {
    throw new OperationError(
      "conflict",
      `Incident '${id}' is resolved; updates are only written on open incidents`,
    );
  }
  const now = Date.now();
  const update: IncidentUpdateRow = {
    id: newRecordId("upd"),
    projectId,
    incidentId: id,
    status: input.status,
    body: input.text,
    author: by.who.actor,
    createdAt: now,
  };
  const set = incidentSet(
    before,
    input.status === "resolved" ? { status: "resolved", resolved_at: now, resolvedAt: now } : {},
  );
  const db = drizzle(by.db);
  const asRead = and(eq(incidentsTable.id, id), eq(incidentsTable.updatedAt, before.updatedAt));
  const unchanged = sql`EXISTS (SELECT 1 FROM ${incidentsTable} WHERE ${asRead})`;
  const [, , [after]] = await db.batch([
    auditInsertIf(by.db, by.who, unchanged, {
      projectId,
      action: "incident.update",
      target: id,
      before: null,
      after: {
        status: update.status,
        text: update.body,
        incident_status: set.status ?? before.status,
      },
    }),
    db
      .insert(incidentUpdatesTable)
      .select(
        sql`SELECT ${update.id}, ${projectId}, ${id}, ${update.status}, ${update.body}, ${update.author}, ${now} WHERE ${unchanged}`,
      ),
    db.update(incidentsTable).set(set).where(asRead).returning(),
  ]);
  if (!after) throw new OperationError("conflict", "The incident changed meanwhile; try again");
  return { update, row: after, deployment: found.deployment, budget: found.budget };
}

/** The updates written on a listed incident of the project, newest first. */
export async function incidentUpdatesOf(db: D1Database, projectId: string, id: string) {
  const { incident } = await findIncident(db, projectId, id);
  return drizzle(db)
    .select()
    .from(incidentUpdatesTable)
    .where(eq(incidentUpdatesTable.incidentId, incident.id))
    .orderBy(desc(incidentUpdatesTable.createdAt), desc(incidentUpdatesTable.id));
}
