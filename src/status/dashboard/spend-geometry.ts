// Geometry of the Spend page's charts, pure: the bars of spend per day with each daily
// budget's line, and each budget's forecast cone (spend so far, then the 80 % interval
// widening to the period's end) against its amount.
import { DAY_MS, HOUR_MS } from "../../shared/time";

/** Bar geometry for the days and the y of each daily budget line. */
export function spendBars(
  days: readonly { start: number; usd: number }[],
  lines: number[],
  width = 600,
  height = 160,
) {
  const max = Math.max(1e-9, ...days.map((d) => d.usd), ...lines);
  const step = width / Math.max(1, days.length);
  const y = (v: number) => height - (v / max) * height;
  return {
    bars: days.map((d, i) => ({ x: i * step, w: step * 0.8, y: y(d.usd), h: height - y(d.usd) })),
    lines: lines.map(y),
  };
}

export interface ConeInput {
  periodStart: number;
  periodEnd: number;
  now: number;
  /** The scope's hourly spend (any range; hours outside the period are ignored). */
  hours: readonly { start: number; usd: number }[];
  amountUsd: number;
  spentUsd: number;
  expectedUsd: number;
  lowUsd: number;
  highUsd: number;
}

export interface Cone {
  /** Polyline points of the cumulative spend from the period's start to now. */
  spent: string;
  /** Polygon points of the 80 % interval: from (now, spent) to the period end's low and high. */
  cone: string;
  /** The expected path's end: a line from (now, spent) to it. */
  nowX: number;
  spentY: number;
  endY: number;
  /** y of the budget's amount. */
  amountY: number;
  /** The largest value the chart shows (its top edge). */
  maxUsd: number;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The cone of one budget in a `width` × `height` box. The spent line has a point per hour
 * for a daily budget and per day for a monthly one (at most ~32 points, so 100 budgets stay
 * small); it ends at exactly `spentUsd` at `now`.
 */
export function forecastCone(c: ConeInput, width = 300, height = 90): Cone {
  const span = Math.max(1, c.periodEnd - c.periodStart);
  const now = Math.min(Math.max(c.now, c.periodStart), c.periodEnd);
  const maxUsd = Math.max(1e-9, c.amountUsd, c.highUsd, c.spentUsd) * 1.05;
  const x = (t: number) => r1(((t - c.periodStart) / span) * width);
  const y = (v: number) => r1(height - (v / maxUsd) * height);
  const step = span <= DAY_MS + HOUR_MS ? HOUR_MS : DAY_MS;
  const inPeriod = c.hours.filter((h) => h.start >= c.periodStart && h.start < now);
  const points: string[] = [`${x(c.periodStart)},${y(0)}`];
  for (let t = c.periodStart + step; t < now; t += step) {
    const usd = inPeriod.reduce((a, h) => (h.start < t ? a + h.usd : a), 0);
    points.push(`${x(t)},${y(Math.min(usd, c.spentUsd))}`);
  }
  points.push(`${x(now)},${y(c.spentUsd)}`);
  const end = x(c.periodEnd);
  return {
    spent: points.join(" "),
    cone: `${x(now)},${y(c.spentUsd)} ${end},${y(c.highUsd)} ${end},${y(c.lowUsd)}`,
    nowX: x(now),
    spentY: y(c.spentUsd),
    endY: y(c.expectedUsd),
    amountY: y(c.amountUsd),
    maxUsd,
  };
}
