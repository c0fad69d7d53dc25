// Standard normal CDF and survival function, both through erfc so neither tail loses precision.
import { erfc } from "./erf";

/** Phi(x) = P(Z <= x) for a standard normal Z (scipy's norm.cdf). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** 1 - Phi(x) = P(Z > x), accurate to ~1e-15 relative far into the upper tail (scipy's norm.sf). */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}
