// Incident rows in D1: the latest state per (deployment, rule), and applying a step.
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../api/keys";
import { incidentsTable } from "../db/schema";
import type { CheckResult } from "./check-result";
import type { IncidentState, IncidentStep } from "./incident-machine";
import type { Rule } from "./rule-schema";

export type IncidentRow = typeof incidentsTable.$inferSelect;

/** The most recent incident row per rule for one deployment. */
export async function latestIncidents(
  db: D1Database,
  deploymentId: string,
): Promise<Map<string, IncidentRow>> {
  const rows = await drizzle(db)
    .select()
    .from(incidentsTable)
    .where(eq(incidentsTable.deploymentId, deploymentId))
    .orderBy(desc(incidentsTable.startedAt));
  const latest = new Map<string, IncidentRow>();
  for (const row of rows) if (!latest.has(row.ruleId)) latest.set(row.ruleId, row);
  return latest;
}

export const stateOf = (row: IncidentRow | undefined): IncidentState | null =>
  row ? (row.state as unknown as IncidentState) : null;

/**
 * Persists a step. A new episode after a resolved incident gets a new row; a pending
 * episode that cleared without firing keeps its row (status "inactive", hidden from
 * the incidents API) for the next one. Returns the incident id, or null if none.
 */
export async function saveStep(
  db: D1Database,
  meta: { projectId: string; deploymentId: string; rule: Rule; check: CheckResult },
  previous: IncidentRow | undefined,
  step: IncidentStep,
): Promise<string | null> {
  const s = step.state;
  if (!previous && s.status === "inactive") return null;
  const now = Date.now();
  const fields = {
    status: s.status === "inactive" ? "inactive" : s.status,
    severity: meta.rule.severity,
    state: s as unknown as Record<string, unknown>,
    lastCheck: meta.check as unknown as Record<string, unknown>,
    startedAt: s.started_at ?? previous?.startedAt ?? now,
    firingAt: s.firing_at,
    resolvedAt: s.resolved_at,
    ackedAt: s.acked_at,
    silencedUntil: s.silenced_until,
    updatedAt: now,
  } as const;
  const d = drizzle(db);
  const newEpisode = step.transition?.to === "pending" || step.transition?.to === "firing";
  if (!previous || (newEpisode && previous.status === "resolved")) {
    const id = newId("inc");
    await d.insert(incidentsTable).values({
      id,
      projectId: meta.projectId,
      deploymentId: meta.deploymentId,
      ruleId: meta.rule.id,
      fingerprint: s.fingerprint,
      ...fields,
      status: fields.status as IncidentRow["status"],
    });
    return id;
  }
  // Only if nobody (an ack, silence or manual resolve) changed the row since it was
  // read; otherwise this minute's step is dropped and the next tick starts from theirs.
  const updated = await d
    .update(incidentsTable)
    .set({ ...fields, status: fields.status as IncidentRow["status"] })
    .where(
      and(eq(incidentsTable.id, previous.id), eq(incidentsTable.updatedAt, previous.updatedAt)),
    )
    .returning({ id: incidentsTable.id });
  return updated.length > 0 ? previous.id : null;
}
