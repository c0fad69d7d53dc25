// The layout of a segment moments row (src/window/segment-moments.ts): the interactions, then
// per metric three numbers (values, Σ x, Σ x²) for the fixed metrics in MOMENT_METRICS order,
// then the same three of the cost per request (x in micro-USD), then the same three per eval
// name the row set lists; and the column moves a merge of rows with other eval names needs.
// Rows may be shorter than their layout: what is missing is 0.
import { dict, largest, put } from "./capped-counts";

/** The metrics every row holds, in stored order (only append): log scale first, then scores. */
export const MOMENT_METRICS = [
  "latency_ms",
  "ttft_ms",
  "output_tokens",
  "output_chars",
  "retrieval_top_score",
] as const;
export type MomentMetric = (typeof MOMENT_METRICS)[number];
/** How many of MOMENT_METRICS (the first) keep moments of ln(1 + v). */
export const LOG_METRICS = 4;
/** Eval names with moments per row: the busiest after a merge. */
export const MAX_SEGMENT_EVALS = 4;

/** The cost per request's columns, after the fixed metrics (rows before them stop there). */
export const COST_COLUMN = 1 + 3 * MOMENT_METRICS.length;
/** The rule metric read from the cost columns. */
export const COST_METRIC = "cost_per_request";
/**
 * Costs are kept in micro-USD: a request's cost ($0.00002 to a few dollars) then rounds to
 * 3 decimals without loss and its spread is not lost under the variance floor of a shift.
 */
export const COST_SCALE = 1e6;
/** Fixed groups of three per row: the metrics, then the cost. */
export const FIXED_GROUPS = MOMENT_METRICS.length + 1;

/** Numbers per row before the eval columns: [interactions, per metric and cost: values, Σ x, Σ x²]. */
export const MOMENT_ROW = 1 + 3 * FIXED_GROUPS;
/** The first column of a score (retrieval, evals): stored at 6 decimals, not 3. */
export const FIRST_SCORE_COLUMN = 1 + 3 * LOG_METRICS;

export interface SegmentMoments {
  /** Eval names whose moments follow the fixed metrics in every row, in this order. */
  evals: string[];
  /** Per dimension ("model", "tags.locale"), per value, a row (shorter rows: zeros after). */
  dims: Record<string, Record<string, number[]>>;
}

export const emptyMoments = (): SegmentMoments => ({ evals: [], dims: dict() });

/** Whether a metric has moments per segment: the fixed metrics and every `evals.<name>`. */
export const isMomentMetric = (m: string): m is MomentMetric | `evals.${string}` =>
  (MOMENT_METRICS as readonly string[]).includes(m) || m.startsWith("evals.");

/** Whether a rule metric can be attributed from the moments: those and the cost per request. */
export const hasSegmentMoments = (m: string): boolean => isMomentMetric(m) || m === COST_METRIC;

/** Whether the metric's moments are of ln(1 + v) (else of v). */
export function logScale(metric: string): boolean {
  const i = (MOMENT_METRICS as readonly string[]).indexOf(metric);
  return i >= 0 && i < LOG_METRICS;
}

/** A sum or mean of x in the metric's unit (cost: micro-USD to USD); not for log-scale x. */
export const inUnit = (metric: string, x: number): number =>
  metric === COST_METRIC ? x / COST_SCALE : x;

/** The metric's typical value from its mean x: exp(mean) − 1 on the log scale, else the mean. */
export const typicalValue = (metric: string, mean: number): number =>
  logScale(metric) ? Math.expm1(mean) : inUnit(metric, mean);

/** The column of a metric's value count in rows with these eval names; -1 when none. */
function columnOf(metric: string, evals: readonly string[]): number {
  const fixed = (MOMENT_METRICS as readonly string[]).indexOf(metric);
  if (fixed >= 0) return 1 + 3 * fixed;
  if (metric === COST_METRIC) return COST_COLUMN;
  const e = metric.startsWith("evals.") ? evals.indexOf(metric.slice(6)) : -1;
  return e < 0 ? -1 : MOMENT_ROW + 3 * e;
}

/** The moments of one metric in a row: values, mean and variance of x. */
export function momentsOf(
  row: readonly number[] | undefined,
  metric: string,
  evals: readonly string[] = [],
): { n: number; mean: number; variance: number } {
  const at = columnOf(metric, evals);
  const n = at < 0 ? 0 : (row?.[at] ?? 0);
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = (row?.[at + 1] ?? 0) / n;
  const variance = Math.max(0, (row?.[at + 2] ?? 0) / n - mean * mean);
  return { n, mean, variance };
}

/** A row of zeros for these many eval names. */
export const zeros = (evals: number) => new Array<number>(MOMENT_ROW + 3 * evals).fill(0);

/** `from`'s rows with their eval columns moved to `into`'s (names new to it appended there). */
export function aligned(into: SegmentMoments, from: SegmentMoments): SegmentMoments["dims"] {
  for (const name of from.evals) if (!into.evals.includes(name)) into.evals.push(name);
  if (from.evals.every((name, j) => into.evals[j] === name)) return from.dims;
  const target = from.evals.map((name) => MOMENT_ROW + 3 * into.evals.indexOf(name));
  const out = dict<Record<string, number[]>>();
  for (const [dimension, values] of Object.entries(from.dims)) {
    const moved = put(out, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      const r = zeros(into.evals.length);
      for (let i = 0; i < MOMENT_ROW; i++) r[i] = row[i] ?? 0;
      target.forEach((at, j) => {
        for (let k = 0; k < 3; k++) r[at + k] = row[MOMENT_ROW + 3 * j + k] ?? 0;
      });
      put(moved, value, r);
    }
  }
  return out;
}

/** Keeps the MAX_SEGMENT_EVALS eval names with the most values (ties by name), in order. */
export function capEvals(s: SegmentMoments): void {
  if (s.evals.length <= MAX_SEGMENT_EVALS) return;
  const weights = dict<number>();
  s.evals.forEach((name, j) => {
    let n = 0;
    for (const values of Object.values(s.dims))
      for (const row of Object.values(values)) n += row[MOMENT_ROW + 3 * j] ?? 0;
    put(weights, name, n);
  });
  const kept = new Set(largest(weights, (n) => n, MAX_SEGMENT_EVALS).kept);
  const columns = s.evals.map((name, j) => ({ name, at: MOMENT_ROW + 3 * j }));
  const keep = columns.filter((c) => kept.has(c.name));
  for (const values of Object.values(s.dims)) {
    for (const [value, row] of Object.entries(values)) {
      const r = row.slice(0, MOMENT_ROW);
      for (const c of keep) for (let k = 0; k < 3; k++) r.push(row[c.at + k] ?? 0);
      put(values, value, r);
    }
  }
  s.evals = keep.map((c) => c.name);
}
