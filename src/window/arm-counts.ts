// An arm's minute as the counts a verdict compares (src/verdicts/signals.ts): per signal,
// how many observations had the worse property (x) out of how many (n). Exceedance
// signals count the sketch's bins beyond the threshold fixed from the incumbent; both
// arms' sketches share bin edges, so the two arms are counted alike.
import {
  BUILTIN_SIGNALS,
  EVAL_PREFIX,
  type RateCounts,
  SIGNALS,
  type SignalSpec,
  signalSpec,
} from "../verdicts";
import type { ArmBucket } from "./arm-bucket";
import type { Counter } from "./bucket";
import { type Sketch, sketchBins, sketchQuantile } from "./sketch";

type RateSignal = {
  [K in keyof typeof SIGNALS]: (typeof SIGNALS)[K]["kind"] extends "rate" ? K : never;
}[keyof typeof SIGNALS];

const RATE_COUNTERS: Record<RateSignal, [Counter, Counter[]]> = {
  error_rate: ["error", ["count"]],
  timeout_rate: ["timeout", ["count"]],
  refusal_rate: ["refused", ["count"]],
  filtered_rate: ["filtered", ["count"]],
  unanswered_rate: ["unanswered", ["count"]],
  escalation_rate: ["escalated", ["count"]],
  thumbs_down_rate: ["feedback_down", ["feedback_up", "feedback_down"]],
};

const SKETCH_OF: Record<string, (a: ArmBucket) => Sketch | undefined> = {
  latency_p90_exceedance: (a) => a.bucket.dists.latency_ms,
  ttft_p90_exceedance: (a) => a.bucket.dists.ttft_ms,
  output_tokens_p50_exceedance: (a) => a.bucket.dists.output_tokens,
  cost_p50_exceedance: (a) => a.cost,
  retrieval_p50_shortfall: (a) => a.bucket.dists.retrieval_top_score,
};

function sketchFor(signal: string, a: ArmBucket): Sketch | undefined {
  if (signal.startsWith(EVAL_PREFIX)) return a.bucket.evals[signal.slice(EVAL_PREFIX.length)];
  return SKETCH_OF[signal]?.(a);
}

/** Observations beyond the threshold (above or below it, per the signal). */
function beyond(s: Sketch, spec: SignalSpec, threshold: number): RateCounts {
  let x = 0;
  for (const bin of sketchBins(s)) {
    if (spec.kind === "above" ? bin.value > threshold : bin.value < threshold) x += bin.count;
  }
  return { x, n: s.count };
}

/**
 * The thresholds of the exceedance signals from the incumbent's data (its p90 or median):
 * the signals an analysis compares are the rate signals plus those with a threshold.
 */
export function exceedanceThresholds(incumbent: ArmBucket, maxEvals = 4): Record<string, number> {
  const out: Record<string, number> = {};
  const names = [
    ...BUILTIN_SIGNALS.filter((s) => SIGNALS[s].kind !== "rate"),
    ...Object.entries(incumbent.bucket.evals)
      .sort(([, a], [, b]) => b.count - a.count)
      .slice(0, maxEvals)
      .map(([name]) => `${EVAL_PREFIX}${name}`),
  ];
  for (const name of names) {
    const spec = signalSpec(name);
    const sketch = sketchFor(name, incumbent);
    if (!spec?.quantile || !sketch || sketch.count === 0) continue;
    const q = sketchQuantile(sketch, spec.quantile);
    if (q !== undefined) out[name] = q;
  }
  return out;
}

/** The signals an analysis compares, given its thresholds. */
export const analysisSignals = (thresholds: Record<string, number>): string[] => [
  ...(Object.keys(RATE_COUNTERS) as RateSignal[]),
  ...Object.keys(thresholds),
];

/** One arm's minute as counts per signal. */
export function armCounts(
  a: ArmBucket,
  thresholds: Record<string, number>,
): Record<string, RateCounts> {
  const out: Record<string, RateCounts> = {};
  const c = a.bucket.counters;
  for (const [signal, [x, ns]] of Object.entries(RATE_COUNTERS)) {
    out[signal] = { x: c[x], n: ns.reduce((sum, k) => sum + c[k], 0) };
  }
  for (const [signal, threshold] of Object.entries(thresholds)) {
    const spec = signalSpec(signal);
    const sketch = sketchFor(signal, a);
    if (spec && sketch) out[signal] = beyond(sketch, spec, threshold);
  }
  return out;
}
