// The incident as the API shows it (built from IncidentSchema / IncidentDetailSchema).
import type { IncidentRow } from "../../alerts/incidents/incident-actions";
import type { DeploymentRow } from "../../http/app-types";
import { fromRow } from "../../http/openapi/from-row";
import { explainFields } from "./explain-schema";
import { IncidentDetailSchema, IncidentSchema } from "./schema";

/** The row plus what the API derives from it: deployment names, silence, last check. */
const shown = (row: IncidentRow, deployment: DeploymentRow) => ({
  ...row,
  deployment: { environment: deployment.environment, slug: deployment.slug },
  // Silences expire by time: nothing clears the column, so compare with the clock.
  silenced: row.silencedUntil !== null && row.silencedUntil > Date.now(),
  value: row.lastCheck?.value ?? null,
  message: row.lastCheck?.message ?? null,
});

export const toIncident = (row: IncidentRow, deployment: DeploymentRow) =>
  fromRow(IncidentSchema, shown(row, deployment));

export const toIncidentDetail = (row: IncidentRow, deployment: DeploymentRow) =>
  fromRow(IncidentDetailSchema, { ...shown(row, deployment), ...explainFields(row.lastCheck) });
