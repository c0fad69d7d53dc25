// Where a budget stands now: its period in the project's time zone, what its scope spent so
// far and the forecast for the period's end (src/spend/forecast.ts), from D1 rollups.
import type { budgetsTable } from "../db/schema/budgets";
import { DAY_MS, HOUR_MS, hourOf } from "../shared/time";
import { type Forecast, forecastPeriod, HISTORY_DAYS, type HourSpend } from "./forecast";
import { periodBounds } from "./period";
import { type BudgetScope, scopeHourlySpend } from "./scope-spend";

export type BudgetRow = typeof budgetsTable.$inferSelect;

export type BudgetState = "ok" | "at_risk" | "exceeded";

export interface BudgetStatus extends Forecast {
  periodStart: number;
  periodEnd: number;
  timeZone: string;
  /** The pace that spends exactly the amount over the period, USD per hour. */
  evenPaceUsdPerHour: number;
  /** exceeded: spent ≥ amount; at_risk: the forecast is above the amount; else ok. */
  state: BudgetState;
}

export const scopeOf = (row: BudgetRow): BudgetScope => ({
  type: row.scopeType,
  environment: row.scopeEnvironment,
  slug: row.scopeSlug,
  model: row.scopeModel,
});

/** The budget's status at `now`. */
export async function budgetStatus(
  db: D1Database,
  budget: BudgetRow,
  timeZone: string,
  now: number,
): Promise<BudgetStatus> {
  return (await budgetReading(db, budget, timeZone, now)).status;
}

/** The status and the scope's hourly spend it was computed from (the Spend page draws both). */
export async function budgetReading(
  db: D1Database,
  budget: BudgetRow,
  timeZone: string,
  now: number,
): Promise<{ status: BudgetStatus; hours: HourSpend[] }> {
  const { start, end } = periodBounds(now, budget.period, timeZone);
  const from = Math.min(hourOf(start), hourOf(now) - HISTORY_DAYS * DAY_MS);
  const hours = await scopeHourlySpend(db, budget.projectId, scopeOf(budget), from);
  const forecast = forecastPeriod({
    hours,
    now,
    periodStart: start,
    periodEnd: end,
    amountUsd: budget.amountUsd,
  });
  const state: BudgetState =
    forecast.spentUsd >= budget.amountUsd
      ? "exceeded"
      : forecast.expectedUsd > budget.amountUsd
        ? "at_risk"
        : "ok";
  const status = {
    ...forecast,
    periodStart: start,
    periodEnd: end,
    timeZone,
    evenPaceUsdPerHour: (budget.amountUsd * HOUR_MS) / (end - start),
    state,
  };
  return { status, hours };
}
