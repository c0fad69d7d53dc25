// Breakdowns (pure): a rate split by one segment dimension (model, provider, prompt version,
// finish reason, a tag key), from the Durable Object's per-segment outcome counts
// (src/window/segment-counts.ts), one slice per minute or hour. Each value becomes a small
// chart of its own; only rates exist per segment (the object keeps counts, not sketches).
import { RATE_METRICS, type RateMetric } from "../../alerts/rules/rule-metrics";
import { MAX_VALUES, OTHER } from "../../window/capped-counts";
import {
  SEGMENT_FIELDS,
  SEGMENT_OUTCOMES,
  type SegmentCounts,
  type SegmentOutcome,
} from "../../window/segment-counts";
import type { Point } from "../geometry";

/** One minute or hour of segment counts. */
export interface SegmentSlice {
  start: number;
  segments: SegmentCounts;
}

export const BREAKDOWN_METRICS = [...RATE_METRICS, "traffic"] as const;
export type BreakdownMetric = RateMetric | "traffic";

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

/** A value's [hits, out of] for a metric (traffic: [interactions, interactions]). */
export function ratioOf(row: readonly number[], metric: BreakdownMetric): [number, number] {
  if (metric === "traffic") return [row[0] ?? 0, row[0] ?? 0];
  const r = RATIOS[metric];
  return [sum(row, [r.hits]), sum(row, r.of)];
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
  /** hits / of over the range; null with nothing to divide by. */
  rate: number | null;
  /** Per slice: the rate (or interactions for traffic); null where nothing was counted. */
  points: Point[];
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
      const into = rows.get(key) ?? SEGMENT_OUTCOMES.map(() => 0);
      row.forEach((n, i) => {
        into[i] = (into[i] ?? 0) + n;
      });
      rows.set(key, into);
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
    let interactions = 0;
    let hits = 0;
    let of = 0;
    const points = folded.map((rows, k) => {
      const row = rows.get(value);
      const t = slices[k]?.start ?? 0;
      if (!row) return { t, v: null };
      const [h, o] = ratioOf(row, metric);
      interactions += row[0] ?? 0;
      hits += h;
      of += o;
      return { t, v: metric === "traffic" ? h : o > 0 ? h / o : null };
    });
    const rate = metric === "traffic" ? interactions : of > 0 ? hits / of : null;
    return { value, interactions, hits, of, rate, points };
  });
  return out.sort(
    (a, b) =>
      Number(a.value === OTHER) - Number(b.value === OTHER) ||
      b.interactions - a.interactions ||
      a.value.localeCompare(b.value),
  );
}
