// The incident as the API shows it (built from IncidentSchema / IncidentDetailSchema).
import type { IncidentRow } from "../../alerts/incidents/incident-actions";
import type { IncidentExamples } from "../../alerts/incidents/incident-examples";
import { type IncidentBudget, neverPublic } from "../../alerts/incidents/incident-owner";
import type { DeploymentRow } from "../../http/app-types";
import { fromRow } from "../../http/openapi/from-row";
import { explainFields } from "./explain-schema";
import { IncidentDetailSchema, IncidentSchema } from "./schema";

/** Who an incident belongs to: a deployment, or a budget (src/alerts/incidents/incident-owner.ts). */
export interface IncidentOwner {
  deployment: DeploymentRow | null;
  budget: IncidentBudget;
}

/** The row plus what the API derives from it: deployment or budget, silence, last check. */
const shown = (row: IncidentRow, deployment: DeploymentRow | null, budget: IncidentBudget) => ({
  ...row,
  deployment: deployment ? { environment: deployment.environment, slug: deployment.slug } : null,
  budget,
  // Silences expire by time: nothing clears the column, so compare with the clock.
  silenced: row.silencedUntil !== null && row.silencedUntil > Date.now(),
  value: row.lastCheck?.value ?? null,
  message: row.lastCheck?.message ?? null,
  // Spend alerts never reach a status page, whatever the column says.
  public: row.public && !neverPublic(row.ruleId),
});

export const toIncident = (
  row: IncidentRow,
  deployment: DeploymentRow | null,
  budget: IncidentBudget = null,
) => fromRow(IncidentSchema, shown(row, deployment, budget));

/** `examples` only where the route looked them up (GET /v1/incidents/{id}). */
export const toIncidentDetail = (
  row: IncidentRow,
  owner: IncidentOwner,
  examples?: IncidentExamples | null,
) =>
  fromRow(IncidentDetailSchema, {
    ...shown(row, owner.deployment, owner.budget),
    ...explainFields(row.lastCheck),
    ...(examples === undefined ? {} : { examples }),
  });
