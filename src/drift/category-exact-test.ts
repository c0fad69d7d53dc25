// An exact test for a change in a category mix: each category against the rest as a 2 x 2
// table (Fisher's conditional test), Bonferroni-combined. Valid at any sample size, unlike
// Pearson's chi-squared, whose tail is far too light when a category expects few counts.
import { hypergeometricLower, hypergeometricUpper } from "./hypergeometric";
import { at, checkedTotal, checkSameLength } from "./validate";

export interface CategoryExactTest {
  /** min(1, tests x smallest per-category two-sided p-value). */
  pValue: number;
  /** Index of the category with the smallest p-value. */
  category: number;
  /** Per-category tests combined: categories seen in either row, or 1 when there are two. */
  tests: number;
}

/**
 * Two-sided Fisher p-value for category i's count in `current` given its total over both rows:
 * twice the smaller one-sided tail, capped at 1 (conservative, never below the exact level).
 */
function categoryP(b: number, c: number, nb: number, nc: number): number {
  const population = nb + nc;
  const column = b + c;
  const upper = hypergeometricUpper(c, population, column, nc);
  const lower = hypergeometricLower(c, population, column, nc);
  return Math.min(1, 2 * Math.min(upper, lower));
}

/**
 * Tests whether `current` was drawn from the same category mix as `baseline` (same categories,
 * same order). Under that null, P(pValue <= alpha) <= alpha at every sample size: each
 * per-category test is exact conditionally on its margins, and the union bound covers the set.
 */
export function categoryExactTest(
  baseline: readonly number[],
  current: readonly number[],
): CategoryExactTest {
  checkSameLength(baseline, current);
  const nb = checkedTotal("baseline", baseline);
  const nc = checkedTotal("current", current);
  if (nb === 0 || nc === 0) throw new RangeError("both rows need at least one observation");
  for (const v of [...baseline, ...current]) {
    if (!Number.isInteger(v)) throw new RangeError(`counts must be integers, got ${v}`);
  }
  let seen = 0;
  let best = { p: 1, i: 0 };
  for (let i = 0; i < baseline.length; i++) {
    const b = at(baseline, i);
    const c = at(current, i);
    if (b + c === 0) continue;
    seen++;
    const p = categoryP(b, c, nb, nc);
    if (p < best.p) best = { p, i };
  }
  // With two categories both tables are the same table, so there is one test, not two.
  const tests = seen <= 2 ? 1 : seen;
  return { pValue: Math.min(1, tests * best.p), category: best.i, tests };
}
