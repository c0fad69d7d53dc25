// Breakdowns (pure): a rate or a distribution split by one segment dimension (model,
// provider, prompt version, release, finish reason, a tag key), one slice per minute or
// hour. Each value becomes a small chart of its own. Rates come from the Durable Object's
// per-segment outcome counts (src/window/segment-counts.ts). The object keeps no sketch per
// segment, so a distribution (latency, time to first token, output tokens and characters)
// has no quantile there: it is split by the segment's geometric mean, exp of the mean of
// ln(1 + v), from the log-scale moments the object keeps beside the counts
// (src/window/segment-moments.ts), and labelled so.
import { RATE_METRICS, type RateMetric } from "../../alerts/rules/rule-metrics";
import { MAX_VALUES, OTHER } from "../../window/capped-counts";
import { SEGMENT_FIELDS, SEGMENT_OUTCOMES, type SegmentOutcome } from "../../window/segment-counts";
import { type MomentMetric, momentsOf } from "../../window/segment-moments";
import type { Point } from "../geometry";

/** Per dimension, per value, a row: segment counts, or segment moments for a distribution. */
export type SegmentRows = Record<string, Record<string, number[]>>;

/** One minute or hour of segment counts (or moments: rowsOf says which a metric reads). */
export interface SegmentSlice {
  start: number;
  segments: SegmentRows;
}

/** The distributions a breakdown splits: those whose segment moments are of ln(1 + v). */
export const DISTRIBUTION_METRICS = [
  "latency_ms",
  "ttft_ms",
  "output_tokens",
  "output_chars",
] as const satisfies readonly MomentMetric[];
export type DistributionMetric = (typeof DISTRIBUTION_METRICS)[number];
export const isDistributionMetric = (m: string): m is DistributionMetric =>
  (DISTRIBUTION_METRICS as readonly string[]).includes(m);

export const BREAKDOWN_METRICS = [...RATE_METRICS, "traffic", ...DISTRIBUTION_METRICS] as const;
export type BreakdownMetric = RateMetric | "traffic" | DistributionMetric;

/** Which rows a metric is read from: the moments for a distribution, else the counts. */
export const rowsOf = (metric: BreakdownMetric): "counts" | "moments" =>
  isDistributionMetric(metric) ? "moments" : "counts";

/** What each rate counts, out of what (thumbs down: out of the thumbs given). */
const RATIOS: Record<RateMetric, { hits: SegmentOutcome; of: readonly SegmentOutcome[] }> = {
  error_rate: { hits: "error", of: ["count"] },
  timeout_rate: { hits: "timeout", of: ["count"] },
  refusal_rate: { hits: "refused", of: ["count"] },
  filtered_rate: { hits: "filtered", of: ["count"] },
  unanswered_rate: { hits: "unanswered", of: ["count"] },
  escalation_rate: { hits: "escalated", of: ["count"] },
  thumbs_down_rate: { hits: "feedback_down", of: ["feedback_up", "feedback_down"] },
};

export const isBreakdownMetric = (m: string): m is BreakdownMetric =>
  (BREAKDOWN_METRICS as readonly string[]).includes(m);

/** The label a value is shown under ("other" holds the values past the cap). */
export const valueLabel = (value: string) => (value === OTHER ? "(other values)" : value);

const at = (k: SegmentOutcome) => SEGMENT_OUTCOMES.indexOf(k);
const sum = (row: readonly number[], keys: readonly SegmentOutcome[]) =>
  keys.reduce((a, k) => a + (row[at(k)] ?? 0), 0);

/** A value's [hits, out of] for a rate (traffic: [interactions, interactions]). */
export function ratioOf(row: readonly number[], metric: RateMetric | "traffic"): [number, number] {
  if (metric === "traffic") return [row[0] ?? 0, row[0] ?? 0];
  const r = RATIOS[metric];
  return [sum(row, [r.hits]), sum(row, r.of)];
}

/**
 * What a row says for a metric: its value (a rate, interactions for traffic, a geometric
 * mean for a distribution; null with nothing to divide by), and its hits out of how many
 * (for a distribution: the values, out of the values).
 */
export function measureOf(
  row: readonly number[],
  metric: BreakdownMetric,
): { v: number | null; hits: number; of: number } {
  if (isDistributionMetric(metric)) {
    const m = momentsOf(row, metric);
    return { v: m.n > 0 ? Math.expm1(m.mean) : null, hits: m.n, of: m.n };
  }
  const [hits, of] = ratioOf(row, metric);
  return { v: metric === "traffic" ? hits : of > 0 ? hits / of : null, hits, of };
}

/** The dimensions present in the slices: event fields first, then tag keys by name. */
export function breakdownDimensions(slices: readonly SegmentSlice[]): string[] {
  const seen = new Set(slices.flatMap((s) => Object.keys(s.segments)));
  const fields = SEGMENT_FIELDS.filter((f) => seen.has(f));
  const tags = [...seen].filter((d) => d.startsWith("tags.")).sort();
  return [...fields, ...tags];
}

export interface BreakdownPanel {
  value: string;
  /** Interactions of this value over the range. */
  interactions: number;
  hits: number;
  /** Out of how many (interactions, or thumbs given for thumbs_down_rate). */
  of: number;
  /** hits / of over the range (a geometric mean for a distribution); null with nothing to divide by. */
  rate: number | null;
  /** Per slice: the value (interactions for traffic); null where nothing was counted. */
  points: Point[];
}

/** `into` plus `row`, entry by entry (counts and moments both add up). */
function addRows(into: number[], row: readonly number[]): number[] {
  row.forEach((n, i) => {
    into[i] = (into[i] ?? 0) + n;
  });
  return into;
}

/** Per slice, the dimension's rows with values outside `kept` added into OTHER. */
function foldedRows(
  slices: readonly SegmentSlice[],
  dimension: string,
  kept: ReadonlySet<string>,
): Map<string, number[]>[] {
  return slices.map((slice) => {
    const rows = new Map<string, number[]>();
    for (const [value, row] of Object.entries(slice.segments[dimension] ?? {})) {
      const key = kept.has(value) ? value : OTHER;
      rows.set(key, addRows(rows.get(key) ?? [], row));
    }
    return rows;
  });
}

/**
 * One panel per value of `dimension`, most interactions first and the values past the
 * cap ("other") last; slices without the value are gaps, not zeros. Each slice holds at
 * most MAX_VALUES values, but different slices may hold different ones: over the range the
 * MAX_VALUES with most interactions are kept and the rest are added into "other".
 */
export function breakdownPanels(
  slices: readonly SegmentSlice[],
  dimension: string,
  metric: BreakdownMetric,
): BreakdownPanel[] {
  const totals = new Map<string, number>();
  for (const slice of slices) {
    for (const [value, row] of Object.entries(slice.segments[dimension] ?? {})) {
      totals.set(value, (totals.get(value) ?? 0) + (row[0] ?? 0));
    }
  }
  const kept = new Set(
    [...totals]
      .filter(([value]) => value !== OTHER)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_VALUES)
      .map(([value]) => value),
  );
  const folded = foldedRows(slices, dimension, kept);
  const values = new Set(folded.flatMap((rows) => [...rows.keys()]));
  const out = [...values].map((value): BreakdownPanel => {
    let total: number[] = [];
    const points = folded.map((rows, k) => {
      const row = rows.get(value);
      const t = slices[k]?.start ?? 0;
      if (!row) return { t, v: null };
      total = addRows(total, row);
      return { t, v: measureOf(row, metric).v };
    });
    const { v: rate, hits, of } = measureOf(total, metric);
    return { value, interactions: total[0] ?? 0, hits, of, rate, points };
  });
  return out.sort(
    (a, b) =>
      Number(a.value === OTHER) - Number(b.value === OTHER) ||
      b.interactions - a.interactions ||
      a.value.localeCompare(b.value),
  );
}
