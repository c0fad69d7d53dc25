// Multi-window burn-rate alerting for budgets, after SLO burn-rate alerts: a pair of
// windows fires only when BOTH burn faster than the pair's factor times the budget's even
// pace (the long window shows it is sustained, the short one that it is still happening),
// so an alert resolves within the short window once the pace falls back. Pure.
import { HOUR_MS, MINUTE_MS } from "../shared/time";

export interface BurnPair {
  id: "fast" | "slow";
  severity: "critical" | "warning";
  longMs: number;
  shortMs: number;
  /** Both windows must burn at ≥ factor × the even pace. */
  factor: number;
}

export const BURN_PAIRS: readonly BurnPair[] = [
  { id: "fast", severity: "critical", longMs: HOUR_MS, shortMs: 5 * MINUTE_MS, factor: 14 },
  { id: "slow", severity: "warning", longMs: 6 * HOUR_MS, shortMs: 30 * MINUTE_MS, factor: 6 },
];

/** The longest window any pair reads. */
export const BURN_LOOKBACK_MS = Math.max(...BURN_PAIRS.map((p) => p.longMs));

export interface MinuteSpend {
  /** Minute-aligned epoch ms. */
  start: number;
  usd: number;
}

/** Spend in [minute − windowMs, minute). */
export function windowSpend(
  minutes: readonly MinuteSpend[],
  minute: number,
  windowMs: number,
): number {
  let total = 0;
  for (const m of minutes) if (m.start >= minute - windowMs && m.start < minute) total += m.usd;
  return total;
}

/** How many times the even pace a window's spend is (0 when the even pace is 0). */
export function burnRate(spendUsd: number, windowMs: number, evenUsdPerHour: number): number {
  const even = (evenUsdPerHour * windowMs) / HOUR_MS;
  return even > 0 ? spendUsd / even : 0;
}

/** ≥ with room for rounding: 60 minutes of 14/60 sum to 13.999…, which is 14. */
const reaches = (rate: number, factor: number) => rate >= factor * (1 - 1e-9);

export interface PairReading {
  pair: BurnPair;
  longUsd: number;
  shortUsd: number;
  longRate: number;
  shortRate: number;
  breach: boolean;
}

/** Each pair's two windows at `minute` (the minute just finished is the last counted). */
export function readPairs(
  minutes: readonly MinuteSpend[],
  minute: number,
  evenUsdPerHour: number,
): PairReading[] {
  return BURN_PAIRS.map((pair) => {
    const longUsd = windowSpend(minutes, minute, pair.longMs);
    const shortUsd = windowSpend(minutes, minute, pair.shortMs);
    const longRate = burnRate(longUsd, pair.longMs, evenUsdPerHour);
    const shortRate = burnRate(shortUsd, pair.shortMs, evenUsdPerHour);
    return {
      pair,
      longUsd,
      shortUsd,
      longRate,
      shortRate,
      breach: reaches(longRate, pair.factor) && reaches(shortRate, pair.factor),
    };
  });
}
