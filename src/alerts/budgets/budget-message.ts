// The words of a budget alert: what burns (deployment, model, release), the pace against the
// budget's even pace, the forecast and the run-out date. Pure.

import type { Burner } from "../../spend/attribution";
import type { BudgetRow, BudgetStatus } from "../../spend/budget-status";
import type { PairReading } from "../../spend/burn-rate";

export const usd = (value: number) =>
  value.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });

const rate = (value: number) => `${+value.toPrecision(3)}×`;

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** "12 Jun 2026, 14:00 Europe/Berlin". */
export function localDate(at: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text} ${timeZone}`;
}

const windowName = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`);

export interface WhatBurns {
  burner: Burner;
  /** The release live on the top deployment, when it has one. */
  release: string | null;
}

/** "production/bot (92 %), model gpt-4o (88 %), release v42". */
export function describeBurner({ burner, release }: WhatBurns): string {
  const parts: string[] = [];
  if (burner.deployment) {
    const d = burner.deployment;
    parts.push(`deployment ${d.environment}/${d.slug} (${percent(d.share)})`);
  }
  if (burner.model) parts.push(`model ${burner.model.name} (${percent(burner.model.share)})`);
  if (release) parts.push(`release ${release}`);
  return parts.length > 0 ? parts.join(", ") : "no spend in the window";
}

function outlook(budget: BudgetRow, status: BudgetStatus): string {
  const forecast = `forecast ${usd(status.expectedUsd)} (80 %: ${usd(status.lowUsd)}–${usd(status.highUsd)}) of ${usd(budget.amountUsd)} by ${localDate(status.periodEnd, status.timeZone)}`;
  const runOut =
    status.runsOutAt === null
      ? "not running out this period at this pace"
      : status.runsOutAt <= Date.now()
        ? `ran out ${localDate(status.runsOutAt, status.timeZone)}`
        : `runs out ${localDate(status.runsOutAt, status.timeZone)}`;
  return `Spent ${usd(status.spentUsd)} this ${budget.period}; ${forecast}; ${runOut}.`;
}

/** A burn-rate pair's message: the pace of both windows, what burns, the outlook. */
export function burnMessage(
  budget: BudgetRow,
  status: BudgetStatus,
  reading: PairReading,
  what: WhatBurns,
): string {
  const { pair } = reading;
  return (
    `Budget "${budget.name}" (${usd(budget.amountUsd)} per ${budget.period}) burns at ` +
    `${rate(reading.longRate)} its even pace over ${windowName(pair.longMs)} ` +
    `(${usd(reading.longUsd)}) and ${rate(reading.shortRate)} over ${windowName(pair.shortMs)}; ` +
    `even pace ${usd(status.evenPaceUsdPerHour)}/h. Burning: ${describeBurner(what)}. ` +
    outlook(budget, status)
  );
}

/** The forecast alert's message. */
export function forecastMessage(budget: BudgetRow, status: BudgetStatus, what: WhatBurns): string {
  return (
    `Budget "${budget.name}" (${usd(budget.amountUsd)} per ${budget.period}) is forecast to ` +
    `exceed: ${outlook(budget, status)} Spending most in the last hour: ${describeBurner(what)}.`
  );
}
