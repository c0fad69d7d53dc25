// Forecast of a budget period's spend at its end, from the period so far and the rhythm of
// the hourly spend before it. Pure. How:
// - Rhythm: the mean spend of each hour of the week over the history (at least 7 days of
//   data), else of each hour of the day (at least 1 day), else flat. Hours are UTC hours.
// - Level: the recent spend divided by what the rhythm expects for the same hours (the last
//   24 hours or the period so far, whichever is longer, at most 7 days): a profile scaled to
//   today's pace, so a quiet night does not read as a quiet month.
// - Interval (80 %): the day-to-day spread of daily totals (their coefficient of variation,
//   0.5 with fewer than 2 days), for the remaining days (independent) and for the level.
// A straight line (spend so far / time so far × period) is exported beside it for the bench.
import { DAY_MS, HOUR_MS, hourOf } from "../shared/time";

/** The spend of one UTC hour, `start` hour-aligned. */
export interface HourSpend {
  start: number;
  usd: number;
}

export interface ForecastInput {
  /** Hourly spend before and during the period, up to `now` (the current hour partial). */
  hours: readonly HourSpend[];
  now: number;
  periodStart: number;
  periodEnd: number;
  /** The budget: when the forecast path reaches it, `runsOutAt`. */
  amountUsd: number;
}

export type ForecastMethod = "weekly" | "daily" | "flat";

export interface Forecast {
  /** Spent from the period's start to now. */
  spentUsd: number;
  /** Expected spend at the period's end, and its 80 % interval (low never below spent). */
  expectedUsd: number;
  lowUsd: number;
  highUsd: number;
  method: ForecastMethod;
  /** Spend per hour the rhythm expects in the coming hour, at the current level. */
  paceUsdPerHour: number;
  /** When spend reaches the amount (already, or along the forecast path); null: not this period. */
  runsOutAt: number | null;
}

/** How far back the rhythm looks. */
export const HISTORY_DAYS = 28;
const WEEK_HOURS = 168;
const Z_80 = 1.2816;
const DEFAULT_CV = 0.5;

const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

/** Straight line: the average rate of the period so far, continued to its end. */
export function straightLineForecast(spentUsd: number, input: ForecastInput): number {
  const elapsed = input.now - input.periodStart;
  if (elapsed <= 0) return spentUsd;
  return (spentUsd / elapsed) * (input.periodEnd - input.periodStart);
}

interface Rhythm {
  method: ForecastMethod;
  /** Expected spend of the hour starting at `start`, before scaling by the level. */
  weight(start: number): number;
}

function rhythmOf(spend: Map<number, number>, from: number, to: number): Rhythm {
  const days = (to - from) / DAY_MS;
  const slots = days >= 7 ? WEEK_HOURS : days >= 1 ? 24 : 1;
  const method: ForecastMethod = slots === WEEK_HOURS ? "weekly" : slots === 24 ? "daily" : "flat";
  const totals = new Array<number>(slots).fill(0);
  const counts = new Array<number>(slots).fill(0);
  const slot = (start: number) => Math.floor(start / HOUR_MS) % slots;
  for (let h = from; h < to; h += HOUR_MS) {
    const k = slot(h);
    totals[k] = (totals[k] ?? 0) + (spend.get(h) ?? 0);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  const means = totals.map((t, k) => ((counts[k] ?? 0) > 0 ? t / (counts[k] ?? 1) : 0));
  return { method, weight: (start) => means[slot(start)] ?? 0 };
}

/** Coefficient of variation of complete 24-hour totals ending at `to`; DEFAULT_CV with < 2. */
function dailySpread(spend: Map<number, number>, from: number, to: number): number {
  const totals: number[] = [];
  for (let end = to; end - DAY_MS >= from; end -= DAY_MS) {
    let t = 0;
    for (let h = end - DAY_MS; h < end; h += HOUR_MS) t += spend.get(h) ?? 0;
    totals.push(t);
  }
  if (totals.length < 2) return DEFAULT_CV;
  const mean = sum(totals) / totals.length;
  if (mean <= 0) return DEFAULT_CV;
  const variance = sum(totals.map((t) => (t - mean) ** 2)) / (totals.length - 1);
  return Math.sqrt(variance) / mean;
}

/** The instant the running total reaches `amount` along consecutive segments; null if never. */
function crossing(
  segments: readonly { start: number; end: number; usd: number }[],
  amount: number,
): number | null {
  let total = 0;
  for (const s of segments) {
    if (s.usd > 0 && total + s.usd >= amount) {
      const fraction = Math.max(0, (amount - total) / s.usd);
      return Math.round(s.start + fraction * (s.end - s.start));
    }
    total += s.usd;
  }
  return null;
}

export function forecastPeriod(input: ForecastInput): Forecast {
  const { now, periodStart, periodEnd } = input;
  const current = hourOf(now);
  const spend = new Map<number, number>();
  for (const h of input.hours) {
    if (h.start < now && Number.isFinite(h.usd) && h.usd > 0) {
      spend.set(h.start, (spend.get(h.start) ?? 0) + h.usd);
    }
  }
  // Spent so far: every hour from the one holding the period's start (a zone such as +5:30
  // starts mid-hour; rollups are hourly, so that hour counts whole).
  const actual: { start: number; end: number; usd: number }[] = [];
  for (let h = hourOf(periodStart); h <= current && h < periodEnd; h += HOUR_MS) {
    actual.push({
      start: Math.max(h, periodStart),
      end: Math.min(h + HOUR_MS, now),
      usd: spend.get(h) ?? 0,
    });
  }
  const spentUsd = sum(actual.map((s) => s.usd));

  // History: complete hours from the first with spend (at most HISTORY_DAYS back) to now's hour.
  let first = current;
  for (const start of spend.keys()) if (start < first) first = start;
  const from = Math.max(first, current - HISTORY_DAYS * DAY_MS);
  const rhythm = rhythmOf(spend, from, current);

  // Level: recent spend over what the rhythm expects for the same hours.
  const refFrom = Math.max(
    from,
    current - 7 * DAY_MS,
    Math.min(hourOf(periodStart), current - DAY_MS),
  );
  let refActual = 0;
  let refExpected = 0;
  for (let h = refFrom; h < current; h += HOUR_MS) {
    refActual += spend.get(h) ?? 0;
    refExpected += rhythm.weight(h);
  }
  // Without a complete hour of history, the only evidence is the current hour so far.
  const partial = (now - current) / HOUR_MS;
  const level = refExpected > 0 ? refActual / refExpected : 0;
  const hourly = (start: number) =>
    refExpected > 0
      ? level * rhythm.weight(start)
      : partial > 0
        ? (spend.get(current) ?? 0) / partial
        : 0;

  // The rest of the period along the rhythm: the current hour's remainder, then whole hours.
  const ahead: { start: number; end: number; usd: number }[] = [];
  for (let h = current; h < periodEnd; h += HOUR_MS) {
    const start = Math.max(h, now);
    const end = Math.min(h + HOUR_MS, periodEnd);
    if (end > start) ahead.push({ start, end, usd: (hourly(h) * (end - start)) / HOUR_MS });
  }
  const remaining = sum(ahead.map((s) => s.usd));
  const expectedUsd = spentUsd + remaining;

  const cv = refExpected > 0 ? dailySpread(spend, from, current) : DEFAULT_CV;
  const remainingDays = Math.max(0, periodEnd - now) / DAY_MS;
  const days = Math.max(1, (current - refFrom) / DAY_MS);
  // Whole remaining days vary independently (variance ∝ n), a part of one day as a whole
  // (∝ n²); the level itself is known to cv/√(days seen).
  const perDay = remainingDays > 0 ? remaining / remainingDays : 0;
  const dayVariance = cv ** 2 * perDay ** 2 * Math.min(remainingDays, remainingDays ** 2);
  const sd = Math.sqrt(dayVariance + (cv * remaining) ** 2 / days);
  return {
    spentUsd,
    expectedUsd,
    lowUsd: Math.max(spentUsd, expectedUsd - Z_80 * sd),
    highUsd: expectedUsd + Z_80 * sd,
    method: refExpected > 0 ? rhythm.method : "flat",
    paceUsdPerHour: hourly(current),
    runsOutAt: crossing([...actual, ...ahead], input.amountUsd),
  };
}
