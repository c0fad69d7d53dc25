// What the incident pages read from D1: the filtered incidents list, and one incident with
// who acted on it (its audit entries), its written updates, its rule's check results and
// the other signals of its change.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, ne, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { findIncident } from "../../alerts/incidents/incident-actions";
import { budgetColumns, budgetOwnsIncident } from "../../alerts/incidents/incident-owner";
import {
  auditLogTable,
  budgetsTable,
  checkResultsTable,
  deploymentsTable,
  incidentsTable,
  incidentUpdatesTable,
  releasesTable,
} from "../../db/schema";
import { MINUTE_MS } from "../../shared/time";
import { type IncidentFilter, releaseAt, releaseMatches, SINCE_MS } from "./incident-filter";

/** Rows the list shows at most (newest first); the page says when there were more. */
export const LIST_LIMIT = 200;
/** Check results shown on an incident page: the rule's minutes around the incident. */
export const CHECKS_SHOWN = 60;

const stateWhere = (state: IncidentFilter["state"]) => {
  const open = isNull(incidentsTable.resolvedAt);
  switch (state) {
    case "all":
      return undefined;
    case "open":
      return open;
    case "pending":
      return and(open, eq(incidentsTable.status, "pending"));
    case "firing":
      return and(open, eq(incidentsTable.status, "firing"), isNull(incidentsTable.ackedAt));
    case "acknowledged":
      return and(open, isNotNull(incidentsTable.ackedAt));
    case "resolved":
      return isNotNull(incidentsTable.resolvedAt);
  }
};

/**
 * The project's incidents the filter keeps: active at some time in its range (started in
 * it, or still open, or resolved in it), newest first, at most LIST_LIMIT before the
 * release filter, which needs each deployment's releases and runs here, not in SQL.
 */
export async function filteredIncidents(
  db: D1Database,
  projectId: string,
  filter: IncidentFilter,
  now: number,
) {
  const from = now - SINCE_MS[filter.since];
  const [env, slug] = filter.deployment ? filter.deployment.split("/") : [];
  const rows = await drizzle(db)
    .select({
      incident: incidentsTable,
      environment: deploymentsTable.environment,
      slug: deploymentsTable.slug,
      budget: budgetColumns,
    })
    .from(incidentsTable)
    .leftJoin(deploymentsTable, eq(deploymentsTable.id, incidentsTable.deploymentId))
    // A budget's alerts belong to the budget, not a deployment (incident-owner.ts).
    .leftJoin(budgetsTable, budgetOwnsIncident)
    .where(
      and(
        eq(incidentsTable.projectId, projectId),
        or(isNotNull(deploymentsTable.id), isNotNull(budgetsTable.id)),
        ne(incidentsTable.status, "inactive"),
        or(isNull(incidentsTable.resolvedAt), gte(incidentsTable.resolvedAt, from)),
        lte(incidentsTable.startedAt, now),
        stateWhere(filter.state),
        filter.severity === "any" ? undefined : eq(incidentsTable.severity, filter.severity),
        env && slug
          ? and(eq(deploymentsTable.environment, env), eq(deploymentsTable.slug, slug))
          : undefined,
      ),
    )
    .orderBy(desc(incidentsTable.startedAt), asc(incidentsTable.id))
    .limit(LIST_LIMIT + 1);
  const more = rows.length > LIST_LIMIT;
  const listed = rows.slice(0, LIST_LIMIT);
  const releases = await releasesOf(db, [...new Set(listed.map((r) => r.incident.deploymentId))]);
  const kept = listed
    .map((r) => ({
      ...r,
      releaseInForce: releaseAt(releases.get(r.incident.deploymentId) ?? [], r.incident.startedAt),
    }))
    .filter((r) => releaseMatches(r.releaseInForce, filter.release));
  return { rows: kept, more };
}

async function releasesOf(db: D1Database, deploymentIds: string[]) {
  const out = new Map<string, (typeof releasesTable.$inferSelect)[]>();
  if (deploymentIds.length === 0) return out;
  const rows = await drizzle(db)
    .select()
    .from(releasesTable)
    .where(inArray(releasesTable.deploymentId, deploymentIds))
    .orderBy(asc(releasesTable.firstSeen));
  for (const r of rows) out.set(r.deploymentId, [...(out.get(r.deploymentId) ?? []), r]);
  return out;
}

/** One incident of the project with everything its page shows; not_found otherwise. */
export async function incidentDetail(db: D1Database, projectId: string, id: string, now: number) {
  const { incident, deployment, budget } = await findIncident(db, projectId, id);
  const d = drizzle(db);
  const until = incident.resolvedAt ?? now;
  const [audits, updates, checks, siblings, releases] = await Promise.all([
    d
      .select({
        action: auditLogTable.action,
        actor: auditLogTable.actor,
        actorName: auditLogTable.actorName,
        at: auditLogTable.at,
        after: auditLogTable.after,
      })
      .from(auditLogTable)
      .where(and(eq(auditLogTable.projectId, projectId), eq(auditLogTable.target, id)))
      .orderBy(asc(auditLogTable.at), asc(auditLogTable.id)),
    d
      .select()
      .from(incidentUpdatesTable)
      .where(eq(incidentUpdatesTable.incidentId, id))
      .orderBy(asc(incidentUpdatesTable.createdAt), asc(incidentUpdatesTable.id)),
    d
      .select()
      .from(checkResultsTable)
      .where(
        and(
          eq(checkResultsTable.deploymentId, incident.deploymentId),
          eq(checkResultsTable.ruleId, incident.ruleId),
          gte(checkResultsTable.minute, incident.startedAt - 15 * MINUTE_MS),
          lte(checkResultsTable.minute, until),
        ),
      )
      .orderBy(desc(checkResultsTable.minute))
      .limit(CHECKS_SHOWN),
    d
      .select()
      .from(incidentsTable)
      .where(
        and(
          eq(incidentsTable.deploymentId, incident.deploymentId),
          ne(incidentsTable.id, id),
          ne(incidentsTable.status, "inactive"),
          lte(incidentsTable.startedAt, until),
          or(isNull(incidentsTable.resolvedAt), gte(incidentsTable.resolvedAt, incident.startedAt)),
        ),
      )
      .orderBy(asc(incidentsTable.startedAt))
      .limit(20),
    releasesOf(db, [incident.deploymentId]),
  ]);
  return {
    incident,
    deployment,
    budget,
    audits,
    updates,
    checks,
    siblings,
    releases: releases.get(incident.deploymentId) ?? [],
  };
}
