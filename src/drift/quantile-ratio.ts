// Ratios of current to baseline quantiles (latency p50/p95/p99, cost), guarded against 0 and gaps.

/** Quantiles of a metric; any may be missing when a window had no data. */
export interface Quantiles {
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
}

export interface QuantileRatios {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

function usable(v: number | null | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

/**
 * current / baseline, or null when the ratio means nothing: either side missing, negative or
 * not finite, a zero baseline under a positive current, or a ratio past the largest double
 * (1e308 / 1e-10). Zero over zero is 1 (no change).
 */
export function quantileRatio(
  current: number | null | undefined,
  baseline: number | null | undefined,
): number | null {
  if (!usable(current) || !usable(baseline)) return null;
  if (baseline === 0) return current === 0 ? 1 : null;
  const ratio = current / baseline;
  return Number.isFinite(ratio) ? ratio : null;
}

/** quantileRatio for p50, p95 and p99 at once. */
export function quantileRatios(current: Quantiles, baseline: Quantiles): QuantileRatios {
  return {
    p50: quantileRatio(current.p50, baseline.p50),
    p95: quantileRatio(current.p95, baseline.p95),
    p99: quantileRatio(current.p99, baseline.p99),
  };
}
