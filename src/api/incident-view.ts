// How incidents appear in the API, and the project-scoped lookup every incident route uses.
import { and, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deploymentsTable, incidentsTable } from "../db/schema";
import { ApiError } from "./errors";

/** Statuses the API shows; "inactive" rows only carry state between episodes. */
export const LISTED_STATUSES = ["pending", "firing", "resolved"] as const;

export type IncidentRow = typeof incidentsTable.$inferSelect;
type DeploymentRow = typeof deploymentsTable.$inferSelect;

const lastCheckField = (row: IncidentRow, key: string): unknown => row.lastCheck?.[key] ?? null;

export const incidentView = (row: IncidentRow, deployment: DeploymentRow) => ({
  id: row.id,
  deployment: { environment: deployment.environment, slug: deployment.slug },
  rule_id: row.ruleId,
  status: row.status,
  severity: row.severity,
  started_at: row.startedAt,
  firing_at: row.firingAt,
  resolved_at: row.resolvedAt,
  acked_at: row.ackedAt,
  silenced_until: row.silencedUntil,
  // Silences expire by time: nothing clears the column, so compare with the clock.
  silenced: row.silencedUntil !== null && row.silencedUntil > Date.now(),
  value: lastCheckField(row, "value"),
  message: lastCheckField(row, "message"),
  updated_at: row.updatedAt,
});

export const incidentDetail = (row: IncidentRow, deployment: DeploymentRow) => ({
  ...incidentView(row, deployment),
  fingerprint: row.fingerprint,
  last_check: row.lastCheck,
  state: row.state,
});

export async function findIncident(db: D1Database, projectId: string, id: string) {
  const [found] = await drizzle(db)
    .select({ incident: incidentsTable, deployment: deploymentsTable })
    .from(incidentsTable)
    .innerJoin(deploymentsTable, eq(deploymentsTable.id, incidentsTable.deploymentId))
    .where(
      and(
        eq(incidentsTable.id, id),
        eq(incidentsTable.projectId, projectId),
        ne(incidentsTable.status, "inactive"),
      ),
    );
  if (!found) throw new ApiError("not_found", `Incident '${id}' not found`);
  return found;
}
