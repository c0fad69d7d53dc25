// Whom an incident belongs to. Most incidents belong to a deployment (`deployment_id` is
// the deployment's id); a budget's alerts belong to the budget: their `deployment_id` is
// `<project>:budget:<budget id>` (src/alerts/budgets/budget-incidents.ts), which no
// deployment row carries. Readers left-join both and keep rows that found one of them.
import { sql } from "drizzle-orm";
import { budgetsTable, incidentsTable } from "../../db/schema";

/** A budget alert's owner, as the API and the dashboard name it. */
export type IncidentBudget = { id: string; name: string } | null;

/** Joins a budget to the incidents it owns (under the project's id prefix). */
export const budgetOwnsIncident = sql`${incidentsTable.deploymentId} = ${budgetsTable.projectId} || ':budget:' || ${budgetsTable.id}`;

/** The budget columns a reader selects beside the incident. */
export const budgetColumns = { id: budgetsTable.id, name: budgetsTable.name };

/**
 * Incidents that must never reach a public status page: a budget's (the bill is private)
 * and a user-share rule's (it names one of the customer's users). Rule ids are set by
 * src/alerts/budgets/.
 */
export const neverPublic = (ruleId: string): boolean =>
  ruleId.startsWith("budget:") || ruleId.startsWith("user_share:");
