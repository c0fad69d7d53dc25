// Population stability index over fixed bins, and its sample-size-aware null distribution.
import { chi2Quantile, chi2Sf } from "./chi-squared-distribution";
import { at, checkedTotal, checkSameLength } from "./validate";

/**
 * Proportion that stands in for an empty bin (in either distribution) so the log stays finite:
 * 1e-4, Evidently's value (evidently.calculations.stattests.utils.get_binned_data). Like
 * Evidently, the other proportions are not renormalised.
 */
export const PSI_EPSILON = 1e-4;

/**
 * PSI = sum_i (c_i - b_i) ln(c_i / b_i) over bin proportions b (baseline) and c (current),
 * each empty bin's proportion replaced by `epsilon`. Always >= 0; 0 when the mixes agree.
 */
export function psi(
  baseline: readonly number[],
  current: readonly number[],
  epsilon: number = PSI_EPSILON,
): number {
  checkSameLength(baseline, current);
  const n = checkedTotal("baseline", baseline);
  const m = checkedTotal("current", current);
  if (n === 0 || m === 0) throw new RangeError("both distributions need at least one count");
  if (!(epsilon > 0)) throw new RangeError(`epsilon must be positive, got ${epsilon}`);
  let sum = 0;
  for (let i = 0; i < baseline.length; i++) {
    const b = at(baseline, i) === 0 ? epsilon : at(baseline, i) / n;
    const c = at(current, i) === 0 ? epsilon : at(current, i) / m;
    sum += (c - b) * Math.log(c / b);
  }
  return sum;
}

// Under no drift (both samples from one distribution over k bins), to second order
// PSI ~ sum (c - b)^2 / b, so PSI * n m / (n + m) is approximately chi-squared with k - 1 dof
// and E[PSI] ~ (1/n + 1/m)(k - 1). Empty-bin smoothing and small expected counts bend this.
function scale(k: number, n: number, m: number): number {
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`need k >= 2 bins, got ${k}`);
  if (!(n > 0 && m > 0)) throw new RangeError(`sample sizes must be positive, got ${n}, ${m}`);
  return 1 / n + 1 / m;
}

/**
 * The p-quantile of PSI under no drift with k bins and samples of n (baseline) and m
 * (current): (1/n + 1/m) * chi2Quantile(p, k - 1). A PSI above psiNullQuantile(k, n, m, 0.999)
 * is unusual for samples this size; a fixed 0.1 is not at n = m = 100 and k = 10.
 */
export function psiNullQuantile(k: number, n: number, m: number, p: number): number {
  return scale(k, n, m) * chi2Quantile(p, k - 1);
}

/** Approximate p-value of an observed PSI under no drift: chi2Sf(PSI / (1/n + 1/m), k - 1). */
export function psiPValue(value: number, k: number, n: number, m: number): number {
  return chi2Sf(value / scale(k, n, m), k - 1);
}
