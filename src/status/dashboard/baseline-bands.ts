// The baseline drawn behind each chart (pure): what the drift checks compare with now (the
// pinned baseline, or the rolling one), as a band in the chart's unit. A quantile chart gets
// the baseline's p5–p95 (the values 9 in 10 of its interactions fell between); a rate chart
// the 95 % Wilson interval of the baseline's rate (where the rate itself lies, given how
// many interactions or thumbs the baseline holds). Counts and cost get no band.
import { rateCounts, sketchOf } from "../../alerts/evaluation/metric-values";
import {
  DISTRIBUTION_METRICS,
  RATE_METRICS,
  type RateMetric,
} from "../../alerts/rules/rule-metrics";
import { wilsonInterval } from "../../drift/wilson-interval";
import type { Bucket } from "../../window/bucket";
import { sketchQuantile } from "../../window/sketch";

export interface BaselineBand {
  lo: number;
  hi: number;
  kind: "quantiles" | "interval";
}

const isRate = (m: string): m is RateMetric => (RATE_METRICS as readonly string[]).includes(m);
const isQuantile = (m: string) =>
  m.startsWith("evals.") || (DISTRIBUTION_METRICS as readonly string[]).includes(m);

/** The band of the metric a chart draws (series.ts drawnMetric), or null when it has none. */
export function baselineBand(b: Bucket, metric: string): BaselineBand | null {
  if (isRate(metric)) {
    const { successes, trials } = rateCounts(b, metric);
    if (!(trials > 0)) return null;
    const w = wilsonInterval(Math.min(successes, trials), trials);
    return { lo: w.lower, hi: w.upper, kind: "interval" };
  }
  if (!isQuantile(metric)) return null;
  const sketch = sketchOf(b, metric);
  const lo = sketchQuantile(sketch, 0.05);
  const hi = sketchQuantile(sketch, 0.95);
  if (lo === undefined || hi === undefined) return null;
  return { lo, hi, kind: "quantiles" };
}

/** The band's legend: "baseline p5–p95 120 ms – 900 ms" or "baseline 95 % interval 1.9 % – 2.1 %". */
export function bandLabel(band: BaselineBand, format: (v: number) => string): string {
  const what = band.kind === "quantiles" ? "p5–p95" : "95 % interval";
  return `baseline ${what} ${format(band.lo)} – ${format(band.hi)}`;
}
