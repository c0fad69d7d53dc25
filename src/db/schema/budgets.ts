// Spend budgets: an amount in USD per day or calendar month (in the project's time zone)
// over a scope. Overlapping budgets are allowed; each is evaluated and alerts on its own.
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { projectsTable } from "./projects";

export const BUDGET_PERIODS = ["day", "month"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const BUDGET_SCOPES = ["project", "environment", "deployment", "model"] as const;
export type BudgetScopeType = (typeof BUDGET_SCOPES)[number];

export const budgetsTable = sqliteTable(
  "budgets",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projectsTable.id),
    name: text("name").notNull(),
    amountUsd: real("amount_usd").notNull(),
    period: text("period", { enum: BUDGET_PERIODS }).notNull(),
    scopeType: text("scope_type", { enum: BUDGET_SCOPES }).notNull(),
    /** environment and deployment scopes. */
    scopeEnvironment: text("scope_environment"),
    /** deployment scope. */
    scopeSlug: text("scope_slug"),
    /** model scope. */
    scopeModel: text("scope_model"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("budgets_project_idx").on(t.projectId)],
);

/**
 * Opt-in "one user is more than `percent` % of a deployment's spend over the last hour
 * (with at least `min_usd`)" rules: the whole project (environment and slug null), one
 * environment, or one deployment. Evaluated each minute from the top-spenders sketch.
 */
export const userShareRulesTable = sqliteTable(
  "user_share_rules",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projectsTable.id),
    environment: text("environment"),
    slug: text("slug"),
    percent: real("percent").notNull(),
    minUsd: real("min_usd").notNull(),
    severity: text("severity", { enum: ["warning", "critical"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("user_share_rules_project_idx").on(t.projectId)],
);
