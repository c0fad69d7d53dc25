// Budget rows ↔ API objects: the scope's columns, and the answer with its status.
import type { BudgetRow, BudgetStatus } from "../../spend/budget-status";
import type { z } from "../../zod";
import { BudgetSchema, type BudgetScopeSchema } from "./schema";

type Scope = z.output<typeof BudgetScopeSchema>;

export function toScopeColumns(scope: Scope) {
  return {
    scopeType: scope.type,
    scopeEnvironment: "environment" in scope ? scope.environment : null,
    scopeSlug: "slug" in scope ? scope.slug : null,
    scopeModel: "model" in scope ? scope.model : null,
  };
}

function scopeOfRow(row: BudgetRow): Scope {
  switch (row.scopeType) {
    case "project":
      return { type: "project" };
    case "environment":
      return { type: "environment", environment: row.scopeEnvironment ?? "" };
    case "deployment":
      return {
        type: "deployment",
        environment: row.scopeEnvironment ?? "",
        slug: row.scopeSlug ?? "",
      };
    case "model":
      return { type: "model", model: row.scopeModel ?? "" };
  }
}

/** The budget's own fields, as the audit log records them. */
export const toBudgetFields = (row: BudgetRow) => ({
  id: row.id,
  name: row.name,
  amount_usd: row.amountUsd,
  currency: "USD" as const,
  period: row.period,
  scope: scopeOfRow(row),
  created_at: row.createdAt,
  updated_at: row.updatedAt,
});

export function toBudget(row: BudgetRow, status: BudgetStatus): z.output<typeof BudgetSchema> {
  return BudgetSchema.parse({
    ...toBudgetFields(row),
    status: {
      period_start: status.periodStart,
      period_end: status.periodEnd,
      time_zone: status.timeZone,
      spent_usd: status.spentUsd,
      forecast: {
        expected_usd: status.expectedUsd,
        low_usd: status.lowUsd,
        high_usd: status.highUsd,
        interval: 0.8,
        method: status.method,
      },
      pace_usd_per_hour: status.paceUsdPerHour,
      even_pace_usd_per_hour: status.evenPaceUsdPerHour,
      runs_out_at: status.runsOutAt,
      state: status.state,
    },
  });
}
