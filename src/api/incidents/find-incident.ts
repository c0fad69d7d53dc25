// The project-scoped incident lookup every incident route uses, and the incident as the API
// shows it (built from IncidentSchema / IncidentDetailSchema).
import { and, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deploymentsTable, incidentsTable } from "../../db/schema";
import type { DeploymentRow } from "../../http/app-types";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { IncidentDetailSchema, IncidentSchema } from "./schema";

export type IncidentRow = typeof incidentsTable.$inferSelect;

/** A budget alert's owner: its incidents have no deployment (src/alerts/budgets/). */
export type IncidentBudget = { id: string; name: string } | null;

/** The row plus what the API derives from it: deployment or budget, silence, last check. */
const shown = (row: IncidentRow, deployment: DeploymentRow | null, budget: IncidentBudget) => ({
  ...row,
  deployment: deployment ? { environment: deployment.environment, slug: deployment.slug } : null,
  budget,
  // Silences expire by time: nothing clears the column, so compare with the clock.
  silenced: row.silencedUntil !== null && row.silencedUntil > Date.now(),
  value: row.lastCheck?.value ?? null,
  message: row.lastCheck?.message ?? null,
});

export const toIncident = (
  row: IncidentRow,
  deployment: DeploymentRow | null,
  budget: IncidentBudget = null,
) => fromRow(IncidentSchema, shown(row, deployment, budget));

export const toIncidentDetail = (row: IncidentRow, deployment: DeploymentRow) =>
  fromRow(IncidentDetailSchema, shown(row, deployment, null));

/** A listed (not inactive) incident of the project, with its deployment; 404 otherwise. */
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
