// The ratio of two Poisson rates (events per unit of time) with the log (Wald) interval:
// ln(RR) ± z·sqrt(1/a + 1/b): the delta-method (Wald) variance of ln a and ln b for Poisson
// counts a and b is 1/a and 1/b, and the exposures are fixed, so they add to ln RR's variance.

import { Z_95 } from "./wilson-interval";

export interface RatioInterval {
  ratio: number;
  lower: number;
  upper: number;
}

/**
 * (a / ta) / (b / tb) for a events in exposure ta (the window) and b in tb (the baseline).
 * When a or b is 0 the log is undefined: 0.5 is added to both counts (the Haldane
 * correction) so the interval stays finite, and the estimate itself stays a/ta ÷ b/tb.
 * Throws when b is 0 (no baseline rate) or an exposure is not positive.
 */
export function poissonRateRatio(
  a: number,
  ta: number,
  b: number,
  tb: number,
  z: number = Z_95,
): RatioInterval {
  if (!(ta > 0 && tb > 0)) throw new RangeError(`exposures must be positive, got ${ta}, ${tb}`);
  if (!(a >= 0 && b > 0)) throw new RangeError(`counts must be a >= 0 and b > 0, got ${a}, ${b}`);
  const ratio = a / ta / (b / tb);
  const [ca, cb] = a === 0 ? [a + 0.5, b + 0.5] : [a, b];
  const center = Math.log(ca / ta / (cb / tb));
  const half = z * Math.sqrt(1 / ca + 1 / cb);
  return { ratio, lower: Math.exp(center - half), upper: Math.exp(center + half) };
}
