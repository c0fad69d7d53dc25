// The chi-squared distribution: CDF, survival function and quantile (inverse CDF).
import { logGamma, regularizedGammaP, regularizedGammaQ } from "./gamma";

function checkDof(dof: number): void {
  if (!(dof > 0) || !Number.isFinite(dof)) {
    throw new RangeError(`chi-squared degrees of freedom must be positive, got ${dof}`);
  }
}

/** P(X <= x) for X ~ chi2(dof) (scipy's chi2.cdf). */
export function chi2Cdf(x: number, dof: number): number {
  checkDof(dof);
  if (Number.isNaN(x)) return Number.NaN;
  return x <= 0 ? 0 : regularizedGammaP(dof / 2, x / 2);
}

/** P(X > x) for X ~ chi2(dof) (scipy's chi2.sf): the p-value of a chi-squared statistic. */
export function chi2Sf(x: number, dof: number): number {
  checkDof(dof);
  if (Number.isNaN(x)) return Number.NaN;
  return x <= 0 ? 1 : regularizedGammaQ(dof / 2, x / 2);
}

function chi2Pdf(x: number, dof: number): number {
  const k = dof / 2;
  return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.LN2 - logGamma(k));
}

const MAX_STEPS = 400;

/**
 * The p-quantile of chi2(dof), i.e. x with chi2Cdf(x, dof) = p (scipy's chi2.ppf).
 * Newton's method on whichever tail is smaller, safeguarded by bisection on a bracket.
 */
export function chi2Quantile(p: number, dof: number): number {
  checkDof(dof);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Solve on the upper tail when p > 1/2 so that small 1 - p keeps its relative precision.
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  // g(x) is increasing in x and zero at the root.
  const g = (x: number): number => (upper ? target - chi2Sf(x, dof) : chi2Cdf(x, dof) - target);

  let lo = 0;
  let hi = Math.max(dof, 1);
  while (g(hi) < 0) {
    lo = hi;
    hi *= 2;
  }
  // For a tiny lower tail the root sits many decades below the bracket, where Newton from the
  // midpoint crawls (chi2Quantile(1e-200, 50) took more than MAX_STEPS): start from the small-x
  // law P(k, y) ~ y^k / Gamma(k + 1), k = dof/2, y = x/2, and halve the bracket geometrically.
  const start = upper
    ? Number.NaN
    : 2 * Math.exp((Math.log(p) + logGamma(dof / 2 + 1)) / (dof / 2));
  let x = start > lo && start < hi ? start : (lo + hi) / 2;
  const middle = () => (!upper && lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : (lo + hi) / 2);
  for (let step = 0; step < MAX_STEPS; step++) {
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else hi = x;
    const newton = x - gx / chi2Pdf(x, dof);
    const next = newton > lo && newton < hi ? newton : middle();
    if (Math.abs(next - x) <= 4 * Number.EPSILON * x || hi - lo <= 4 * Number.EPSILON * hi) {
      return next;
    }
    x = next;
  }
  return x;
}
