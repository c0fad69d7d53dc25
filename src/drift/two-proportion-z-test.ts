// Pooled two-proportion z-test comparing a current rate with its baseline (error rate, refusals...).
import { erfc } from "./erf";
import { normalSf } from "./normal";

export interface TwoProportionZTest {
  /** (currentRate - baselineRate) / pooled standard error; positive when the rate went up. */
  z: number;
  /** P(|Z| >= |z|) under H0: equal rates. */
  pTwoSided: number;
  /** P(Z >= z): evidence that the current rate is higher than the baseline's. */
  pGreater: number;
  /** P(Z <= z): evidence that the current rate is lower than the baseline's. */
  pLess: number;
  /** currentRate - baselineRate, in proportion units (0.02 = two percentage points). */
  difference: number;
  baselineRate: number;
  currentRate: number;
  pooledRate: number;
}

function checkCounts(name: string, successes: number, trials: number): void {
  if (!(trials > 0) || !Number.isFinite(trials)) {
    throw new RangeError(`${name} trials must be positive, got ${trials}`);
  }
  if (!(successes >= 0 && successes <= trials)) {
    throw new RangeError(`${name} successes must be in [0, trials], got ${successes}/${trials}`);
  }
}

/**
 * z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (x1 + x2) / (n1 + n2), the
 * statistic of statsmodels' proportions_ztest (sign flipped: baseline first, current second);
 * z^2 equals the uncorrected Pearson chi-squared of the 2x2 table. When every observation is a
 * success or none is, the rates cannot differ: z = 0 and every p-value is 1.
 */
export function twoProportionZTest(
  baselineSuccesses: number,
  baselineTrials: number,
  currentSuccesses: number,
  currentTrials: number,
): TwoProportionZTest {
  checkCounts("baseline", baselineSuccesses, baselineTrials);
  checkCounts("current", currentSuccesses, currentTrials);
  const baselineRate = baselineSuccesses / baselineTrials;
  const currentRate = currentSuccesses / currentTrials;
  const pooledRate = (baselineSuccesses + currentSuccesses) / (baselineTrials + currentTrials);
  const difference = currentRate - baselineRate;
  const variance = pooledRate * (1 - pooledRate) * (1 / baselineTrials + 1 / currentTrials);
  const rates = { difference, baselineRate, currentRate, pooledRate };
  if (!(variance > 0)) return { z: 0, pTwoSided: 1, pGreater: 1, pLess: 1, ...rates };
  const z = difference / Math.sqrt(variance);
  return {
    z,
    pTwoSided: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)),
    pGreater: normalSf(z),
    pLess: normalSf(-z),
    ...rates,
  };
}
