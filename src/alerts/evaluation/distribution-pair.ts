// The current and baseline sketches of a distribution metric read into step CDFs, after the
// sample-size gate; plus the distances computed from them (KS, normalised Wasserstein).
import {
  type KsTest,
  ksAsymptoticPValue,
  WASSERSTEIN_MIN_SCALE,
  wasserstein1,
  weightedStd,
} from "../../drift";
import type { Rule } from "../rules/rule-schema";
import { type CheckInput, type CheckResult, missingBaseline, sampleGate } from "./check-result";
import { sketchOf } from "./metric-values";
import { type Steps, stepQuantile, stepsOf } from "./sketch-steps";

export interface Pair {
  cur: Steps;
  base: Steps;
}

/** Either both sides, big enough to test, or the result explaining why not. */
export function distributionPair(
  rule: Rule,
  input: CheckInput,
): { pair: Pair } | { result: CheckResult } {
  const current = sketchOf(input.current, rule.metric);
  if (input.baseline === null) return { result: missingBaseline(rule, current.count, "values") };
  const baseline = sketchOf(input.baseline, rule.metric);
  const gate = sampleGate(rule, current.count, baseline.count, "values");
  if (gate) return { result: gate };
  return { pair: { cur: stepsOf(current), base: stepsOf(baseline) } };
}

/**
 * Two-sample KS from the sketch CDFs: the largest gap over every bin value of both (so the
 * exact supremum of the two step functions), found in one merged walk. Same statistic as
 * ksFromCdfs at those points, without a search per point.
 */
export function ksOf({ cur, base }: Pair): KsTest {
  // Both PSI rules of a metric (warning, critical) and a KS rule ask for the same pair.
  const cached = ksCache.get(base)?.get(cur);
  if (cached) return cached;
  const ks = computeKs(cur, base);
  const byCurrent = ksCache.get(base) ?? new WeakMap<Steps, KsTest>();
  byCurrent.set(cur, ks);
  ksCache.set(base, byCurrent);
  return ks;
}

// Steps objects are cached per sketch (sketch-steps.ts), so identity means same data.
const ksCache = new WeakMap<Steps, WeakMap<Steps, KsTest>>();

function computeKs(cur: Steps, base: Steps): KsTest {
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < base.values.length || j < cur.values.length) {
    const x = Math.min(
      base.values[i] ?? Number.POSITIVE_INFINITY,
      cur.values[j] ?? Number.POSITIVE_INFINITY,
    );
    while ((base.values[i] ?? Number.POSITIVE_INFINITY) <= x) i++;
    while ((cur.values[j] ?? Number.POSITIVE_INFINITY) <= x) j++;
    // As sketchCdf: 0 below the exact min, 1 from the exact max, else the bins up to x.
    const below = (s: Steps, k: number) =>
      x < s.min ? 0 : x >= s.max ? 1 : k === 0 ? 0 : (s.cumulative[k - 1] ?? 0) / s.total;
    statistic = Math.max(statistic, Math.abs(below(base, i) - below(cur, j)));
  }
  const effectiveN = (base.total * cur.total) / (base.total + cur.total);
  return {
    statistic,
    pValue: ksAsymptoticPValue(statistic, base.total, cur.total),
    effectiveN,
  };
}

/** W1 between the two sketches over the baseline's standard deviation (Evidently's normed W1). */
export function normedWassersteinOf({ cur, base }: Pair): number {
  const raw = wasserstein1(base.values, base.counts, cur.values, cur.counts);
  return raw / Math.max(weightedStd(base.values, base.counts), WASSERSTEIN_MIN_SCALE);
}

export const medians = ({ cur, base }: Pair) => ({
  value: stepQuantile(cur, 0.5) ?? null,
  baseline_value: stepQuantile(base, 0.5) ?? null,
});
