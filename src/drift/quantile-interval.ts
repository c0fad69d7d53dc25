// Distribution-free intervals for a quantile, and for the ratio or difference of two
// quantiles, from order statistics.
//
// One quantile (the classical order-statistic interval, as in Conover's Practical
// Nonparametric Statistics): the number of
// the n values below the true q-quantile is Binomial(n, q), so the order statistics at
// 1-based ranks l = floor(nq − z·sqrt(nq(1−q))) and u = ceil(nq + z·sqrt(nq(1−q))) + 1
// (clamped to 1..n) bracket it with probability ≈ 1 − α, slightly more (the ranks are rounded
// outwards).
// Two quantiles (Price & Bonett 2002, "Distribution-free confidence intervals for difference
// and ratio of medians"): each estimate's standard error is read off its own interval as
// width / 2z (on the log scale for a ratio), and the two are added in quadrature.

import { Z_95 } from "./wilson-interval";

/** The 1-based ranks of the order statistics bounding the q-quantile of n values. */
export function quantileRanks(
  n: number,
  q: number,
  z: number = Z_95,
): { lower: number; upper: number } {
  if (!(Number.isInteger(n) && n > 0))
    throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  const center = n * q;
  const spread = z * Math.sqrt(n * q * (1 - q));
  return {
    lower: Math.min(n, Math.max(1, Math.floor(center - spread))),
    upper: Math.min(n, Math.max(1, Math.ceil(center + spread) + 1)),
  };
}

/** A quantile's estimate and the values at its bounding ranks. */
export interface QuantileBounds {
  estimate: number;
  lower: number;
  upper: number;
}

export interface QuantileComparison {
  /** current / baseline ("ratio") or current − baseline ("difference"). */
  kind: "ratio" | "difference";
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Compares the window's quantile with the baseline's. When every bound is positive the
 * ratio is compared on the log scale (a latency that doubles); otherwise (scores at or
 * below zero) the difference. `relativeError` widens each bound by the error of the values
 * read (a sketch's 1 %), so the interval also holds for values that are estimates.
 */
export function compareQuantiles(
  current: QuantileBounds,
  baseline: QuantileBounds,
  relativeError = 0,
  z: number = Z_95,
): QuantileComparison {
  const positive = [current, baseline].every((b) => b.lower > 0 && b.estimate > 0);
  const slack = (1 + relativeError) / (1 - relativeError);
  if (positive) {
    const se = (b: QuantileBounds) => (Math.log(b.upper) - Math.log(b.lower)) / (2 * z);
    const half = z * Math.hypot(se(current), se(baseline));
    const center = Math.log(current.estimate / baseline.estimate);
    return {
      kind: "ratio",
      estimate: current.estimate / baseline.estimate,
      lower: Math.exp(center - half) / slack,
      upper: Math.exp(center + half) * slack,
    };
  }
  const widen = (b: QuantileBounds) => (b.upper - b.lower) / (2 * z);
  const half = z * Math.hypot(widen(current), widen(baseline));
  const error = relativeError * (Math.abs(current.estimate) + Math.abs(baseline.estimate));
  const d = current.estimate - baseline.estimate;
  return { kind: "difference", estimate: d, lower: d - half - error, upper: d + half + error };
}
