// Dashboard time series from hourly rollup rows (pure): the charted metrics, merged into
// coarser buckets for long ranges, and the overview's 24-hour figures against the week
// before. Counts add up; rates and quantiles merge weighted by the requests behind them.
import type { Point } from "../geometry";

export interface HourRow {
  bucketStart: number;
  count: number;
  errorCount: number;
  feedbackUp: number;
  feedbackDown: number;
  latencyP50: number | null;
  latencyP95: number | null;
  costUsd: number;
  ttftP95: number | null;
  escalated: number | null;
  outputP50: number | null;
  retrievalP50: number | null;
  /** Mean score per custom eval. */
  evals: Record<string, number | null>;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: "count" | "share" | "ms" | "chars" | "score" | "usd";
  /** One or two lines (p50 and p95 latency share a chart). */
  lines: { label: string; value: (r: HourRow) => number | null; weight?: (r: HourRow) => number }[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function chartSpecs(evalNames: readonly string[]): ChartSpec[] {
  const byCount = (r: HourRow) => r.count;
  const thumbs = (r: HourRow) => r.feedbackUp + r.feedbackDown;
  return [
    {
      id: "requests",
      title: "Requests per hour",
      unit: "count",
      lines: [{ label: "requests", value: (r) => r.count, weight: () => 1 }],
    },
    {
      id: "error_rate",
      title: "Error rate",
      unit: "share",
      lines: [{ label: "errors", value: (r) => ratio(r.errorCount, r.count), weight: byCount }],
    },
    {
      id: "latency",
      title: "Latency",
      unit: "ms",
      lines: [
        { label: "p50", value: (r) => r.latencyP50, weight: byCount },
        { label: "p95", value: (r) => r.latencyP95, weight: byCount },
      ],
    },
    {
      id: "ttft",
      title: "Time to first token (p95)",
      unit: "ms",
      lines: [{ label: "p95", value: (r) => r.ttftP95, weight: byCount }],
    },
    {
      id: "thumbs_down_rate",
      title: "Thumbs-down rate",
      unit: "share",
      lines: [
        { label: "thumbs down", value: (r) => ratio(r.feedbackDown, thumbs(r)), weight: thumbs },
      ],
    },
    {
      id: "escalation_rate",
      title: "Escalation rate",
      unit: "share",
      lines: [{ label: "escalated", value: (r) => r.escalated, weight: byCount }],
    },
    {
      id: "output_length",
      title: "Output length (median)",
      unit: "chars",
      lines: [{ label: "chars", value: (r) => r.outputP50, weight: byCount }],
    },
    {
      id: "retrieval",
      title: "Retrieval top score (median)",
      unit: "score",
      lines: [{ label: "score", value: (r) => r.retrievalP50, weight: byCount }],
    },
    {
      id: "cost",
      title: "Cost per request",
      unit: "usd",
      lines: [{ label: "USD", value: (r) => ratio(r.costUsd, r.count), weight: byCount }],
    },
    ...evalNames.map(
      (name): ChartSpec => ({
        id: `eval-${name}`,
        title: `Eval: ${name}`,
        unit: "score",
        lines: [{ label: name, value: (r) => r.evals[name] ?? null, weight: byCount }],
      }),
    ),
  ];
}

/** Which chart a rule's metric is drawn on (alert links open the page there). */
export function chartOfMetric(metric: string): string {
  if (metric.startsWith("evals.")) return `eval-${metric.slice(6)}`;
  const map: Record<string, string> = {
    traffic: "requests",
    error_rate: "error_rate",
    timeout_rate: "error_rate",
    latency_ms: "latency",
    ttft_ms: "ttft",
    thumbs_down_rate: "thumbs_down_rate",
    escalation_rate: "escalation_rate",
    output_chars: "output_length",
    output_tokens: "output_length",
    retrieval_top_score: "retrieval",
    cost_per_request: "cost",
  };
  return map[metric] ?? "requests";
}

/** The metric a chart draws, as rules name it (the one chartOfMetric sends there as it is). */
export function drawnMetric(chartId: string): string | null {
  if (chartId.startsWith("eval-")) return `evals.${chartId.slice(5)}`;
  const map: Record<string, string> = {
    requests: "traffic",
    error_rate: "error_rate",
    latency: "latency_ms",
    ttft: "ttft_ms",
    thumbs_down_rate: "thumbs_down_rate",
    escalation_rate: "escalation_rate",
    output_length: "output_chars",
    retrieval: "retrieval_top_score",
    cost: "cost_per_request",
  };
  return Object.hasOwn(map, chartId) ? (map[chartId] ?? null) : null;
}

/**
 * One line's points over [from, to) in buckets of `stepMs` (a multiple of an hour):
 * a weighted mean of the hourly values in each bucket (a sum for counts), null where
 * no hour had data.
 */
export function seriesOf(
  rows: readonly HourRow[],
  line: ChartSpec["lines"][number],
  opts: { from: number; to: number; stepMs: number; sum?: boolean },
): Point[] {
  const n = Math.max(1, Math.ceil((opts.to - opts.from) / opts.stepMs));
  const acc = Array.from({ length: n }, () => ({ total: 0, weight: 0, seen: false }));
  for (const r of rows) {
    const k = Math.floor((r.bucketStart - opts.from) / opts.stepMs);
    const slot = acc[k];
    const v = line.value(r);
    if (!slot || v === null || !Number.isFinite(v)) continue;
    const w = opts.sum ? 1 : (line.weight?.(r) ?? 1);
    if (w <= 0) continue;
    slot.total += v * w;
    slot.weight += w;
    slot.seen = true;
  }
  return acc.map((a, k) => ({
    t: opts.from + k * opts.stepMs,
    v: a.seen ? (opts.sum ? a.total : a.total / a.weight) : null,
  }));
}

export interface Figures {
  requests: number;
  errorRate: number | null;
  /** Count-weighted mean of the hourly p95s (hourly quantiles do not merge exactly). */
  latencyP95: number | null;
  thumbsDownRate: number | null;
  costPerRequest: number | null;
}

export function figuresOf(rows: readonly HourRow[]): Figures {
  let count = 0;
  let errors = 0;
  let up = 0;
  let down = 0;
  let cost = 0;
  let p95Sum = 0;
  let p95Weight = 0;
  for (const r of rows) {
    count += r.count;
    errors += r.errorCount;
    up += r.feedbackUp;
    down += r.feedbackDown;
    cost += r.costUsd;
    if (r.latencyP95 !== null && r.count > 0) {
      p95Sum += r.latencyP95 * r.count;
      p95Weight += r.count;
    }
  }
  return {
    requests: count,
    errorRate: ratio(errors, count),
    latencyP95: p95Weight > 0 ? p95Sum / p95Weight : null,
    thumbsDownRate: ratio(down, up + down),
    costPerRequest: ratio(cost, count),
  };
}

/** Relative change (for volumes, latency, cost) or the difference (for rates), or null. */
export function changeOf(
  current: number | null,
  baseline: number | null,
  kind: "relative" | "points",
): number | null {
  if (current === null || baseline === null) return null;
  if (kind === "points") return current - baseline;
  return baseline > 0 ? current / baseline - 1 : null;
}
