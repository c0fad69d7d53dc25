// Pearson's chi-squared test of homogeneity for a 2 x k table: baseline vs current category counts.
import { chi2Sf } from "./chi-squared-distribution";
import { at, checkedTotal, checkSameLength } from "./validate";

export interface ChiSquaredTest {
  statistic: number;
  /** (categories kept - 1): categories empty in both rows are dropped first. */
  dof: number;
  pValue: number;
  /** Number of categories that had a count in at least one row. */
  categories: number;
}

export interface ChiSquaredOptions {
  /**
   * Apply Yates' continuity correction when dof = 1, as scipy's chi2_contingency does by
   * default (each |observed - expected| shrinks by min(0.5, itself)). Off by default here.
   */
  yates?: boolean;
}

/**
 * Compares the category mix of `baseline` and `current` (same categories, same order).
 * Matches scipy.stats.chi2_contingency([baseline, current], correction=yates) after dropping
 * all-zero columns. With fewer than two non-empty categories the mixes cannot differ: the
 * result is statistic 0, p-value 1 (scipy's answer for dof 0). An empty row is a RangeError.
 */
export function chiSquaredHomogeneity(
  baseline: readonly number[],
  current: readonly number[],
  options: ChiSquaredOptions = {},
): ChiSquaredTest {
  checkSameLength(baseline, current);
  const n1 = checkedTotal("baseline", baseline);
  const n2 = checkedTotal("current", current);
  if (n1 === 0 || n2 === 0) throw new RangeError("both rows need at least one observation");

  const kept: Array<[number, number]> = [];
  for (let i = 0; i < baseline.length; i++) {
    const a = at(baseline, i);
    const b = at(current, i);
    if (a > 0 || b > 0) kept.push([a, b]);
  }
  const dof = kept.length - 1;
  if (dof < 1) return { statistic: 0, dof: 0, pValue: 1, categories: kept.length };

  const total = n1 + n2;
  const yates = options.yates === true && dof === 1;
  let statistic = 0;
  for (const [a, b] of kept) {
    const column = a + b;
    for (const [observed, rowTotal] of [
      [a, n1],
      [b, n2],
    ] as const) {
      const expected = (rowTotal * column) / total;
      let diff = Math.abs(observed - expected);
      if (yates) diff -= Math.min(0.5, diff);
      statistic += (diff * diff) / expected;
    }
  }
  return { statistic, dof, pValue: chi2Sf(statistic, dof), categories: kept.length };
}
