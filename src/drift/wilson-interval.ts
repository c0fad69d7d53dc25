// Wilson score confidence interval for a binomial proportion (Wilson 1927; Newcombe 1998 method 3).

/** z for a two-sided 95 % interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

export interface WilsonInterval {
  lower: number;
  upper: number;
  /** The interval's midpoint, (x + z^2/2) / (n + z^2): the point estimate shrunk toward 1/2. */
  center: number;
}

/**
 * The Wilson score interval for `successes` out of `trials` at critical value z (default 95 %),
 * without continuity correction: statsmodels' proportion_confint(method="wilson").
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  z: number = Z_95,
): WilsonInterval {
  if (!(trials > 0) || !Number.isFinite(trials)) {
    throw new RangeError(`trials must be positive, got ${trials}`);
  }
  if (!(successes >= 0 && successes <= trials)) {
    throw new RangeError(`successes must be in [0, trials], got ${successes}/${trials}`);
  }
  if (!(z >= 0) || !Number.isFinite(z)) throw new RangeError(`z must be finite and >= 0, got ${z}`);
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  // At x = 0 (x = n) the lower (upper) bound is exactly 0 (1); pin it against rounding.
  return {
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === trials ? 1 : Math.min(1, center + half),
    center,
  };
}
