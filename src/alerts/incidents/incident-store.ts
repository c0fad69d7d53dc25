// Incident rows in D1: the latest state per (deployment, rule), and the writes that
// persist a step, for the caller to commit in one batch with the notifications they cause.

import { and, desc, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { incidentsTable } from "../../db/schema";
import { newRecordId } from "../../shared/ids";
import type { CheckResult } from "../evaluation/check-result";
import type { Rule } from "../rules/rule-schema";
import type { IncidentState, IncidentStep } from "./incident-machine";

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

export interface StepWrite {
  /** The incident the step belongs to, or null when there is nothing to store. */
  incidentId: string | null;
  statements: BatchItem<"sqlite">[];
}

/**
 * The writes that persist a step. A new episode after a resolved incident gets a new row;
 * a pending episode that cleared without firing keeps its row (status "inactive", hidden
 * from the incidents API) for the next one. An update applies only if nobody (an ack,
 * silence or manual resolve) changed the row since it was read, and a guard after it
 * fails the whole batch otherwise: the caller re-reads and steps again from their state,
 * and no notification is written for a step that was not stored.
 */
export function stepWrites(
  d: DrizzleD1Database,
  meta: {
    projectId: string;
    deploymentId: string;
    // Only these are read: probe incidents (src/probes) pass their own id and summary.
    rule: Pick<Rule, "id" | "severity">;
    check: Pick<CheckResult, "value" | "message">;
  },
  previous: IncidentRow | undefined,
  step: IncidentStep,
  now: number,
): StepWrite {
  const s = step.state;
  if (!previous && s.status === "inactive") return { incidentId: null, statements: [] };
  const fields = {
    status: s.status as IncidentRow["status"],
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
  const newEpisode = step.transition?.to === "pending" || step.transition?.to === "firing";
  if (!previous || (newEpisode && previous.status === "resolved")) {
    const id = newRecordId("inc");
    const insert = d.insert(incidentsTable).values({
      id,
      projectId: meta.projectId,
      deploymentId: meta.deploymentId,
      ruleId: meta.rule.id,
      fingerprint: s.fingerprint,
      ...fields,
    });
    return { incidentId: id, statements: [insert] };
  }
  const update = d
    .update(incidentsTable)
    .set(fields)
    .where(
      and(eq(incidentsTable.id, previous.id), eq(incidentsTable.updatedAt, previous.updatedAt)),
    );
  return { incidentId: previous.id, statements: [update, changedOneRow(d)] };
}

/**
 * Fails the batch unless the statement before it changed exactly one row. NOTE: SQL has
 * no RAISE outside triggers; json() of a non-JSON string is an error that rolls the D1
 * batch back, and its argument depends on changes() so it cannot be folded early.
 */
const changedOneRow = (d: DrizzleD1Database) =>
  d.run(sql`SELECT json(CASE WHEN changes() = 1 THEN '1' ELSE 'incident changed meanwhile' END)`);
