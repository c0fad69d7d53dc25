// PSI's no-drift quantile for a rule: the simulated table where chi-squared's approximation
// fails (small samples, 10 bins), the asymptotic (1/n + 1/m) chi2(k - 1) quantile elsewhere.
import { psiNullQuantile } from "./population-stability-index";
import {
  PSI_TABLE_ALPHAS,
  PSI_TABLE_BASELINE,
  PSI_TABLE_BINS,
  PSI_TABLE_CURRENT,
  PSI_TABLE_QUANTILES,
} from "./psi-null-table";

/**
 * From here on a baseline's decile masses are taken as exact (1/n is at most 0.1 % of 1/m for
 * the table's m <= 1,000); below it a baseline reads the largest simulated row <= n (100,000
 * values and up: the 100,000-value row).
 */
const LARGE_BASELINE = 1_000_000;

// Index of the largest grid value <= x (the first when x is below the grid): quantiles fall as
// samples grow, so rounding a size down to the grid errs towards the higher, safer quantile.
function floorIndex(grid: readonly number[], x: number): number {
  let at = 0;
  grid.forEach((g, i) => {
    if (g <= x) at = i;
  });
  return at;
}

function tableQuantile(n: number, m: number, alpha: number): number {
  const finite = PSI_TABLE_BASELINE.filter((b) => b > 0);
  const row =
    n >= LARGE_BASELINE
      ? PSI_TABLE_BASELINE.indexOf(0)
      : PSI_TABLE_BASELINE.indexOf(finite[floorIndex(finite, n)] ?? 0);
  const column = floorIndex(PSI_TABLE_CURRENT, m);
  // The largest tabulated level <= alpha is the conservative pick; below the table's smallest
  // level the simulated quantile is scaled by the asymptotic one's growth (an extrapolation).
  const levels: number[] = [...PSI_TABLE_ALPHAS];
  const smallest = Math.min(...levels);
  const level = alpha < smallest ? smallest : Math.max(...levels.filter((a) => a <= alpha));
  const q = PSI_TABLE_QUANTILES[row]?.[column]?.[levels.indexOf(level)];
  if (q === undefined) throw new RangeError(`PSI table has no entry for n ${n}, m ${m}`);
  if (alpha >= smallest) return q;
  const k = PSI_TABLE_BINS;
  return (q * psiNullQuantile(k, n, m, 1 - alpha)) / psiNullQuantile(k, n, m, 1 - smallest);
}

/**
 * The (1 - alpha) quantile of PSI under no drift for k bins cut at a baseline of n values and a
 * current window of m: never below the asymptotic psiNullQuantile, and from the simulated
 * table (src/drift/psi-null-table.ts) for k = 10 and m up to its largest size, where empty and
 * near-empty bins make the asymptotic one fire hundreds of times too often.
 */
export function psiCalibratedQuantile(k: number, n: number, m: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const asymptotic = psiNullQuantile(k, n, m, 1 - alpha);
  const largest = PSI_TABLE_CURRENT[PSI_TABLE_CURRENT.length - 1] ?? 0;
  if (k !== PSI_TABLE_BINS || m > largest) return asymptotic;
  return Math.max(asymptotic, tableQuantile(n, m, alpha));
}
