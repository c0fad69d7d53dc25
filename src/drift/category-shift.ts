// Which categories of a mix carry its change: per category, the window's count against the
// count its baseline share expects, its share of the total displacement (Σ |observed −
// expected|, which counts each moved event twice: once where it left, once where it went),
// and a two-sided two-proportion z-test of its share now against before (pooled variance).
import { normalSf } from "./normal";

export interface CategoryShift {
  expected: number;
  /** observed − expected. */
  excess: number;
  /** |excess| ÷ Σ |excess| over the categories (0 when nothing moved). */
  share: number;
  /** Two-sided p of the category's share now against before, before any correction. */
  pValue: number;
}

/** `current` and `baseline` are aligned counts per category. */
export function categoryShift(
  current: readonly number[],
  baseline: readonly number[],
): CategoryShift[] {
  const nc = current.reduce((a, x) => a + x, 0);
  const nb = baseline.reduce((a, x) => a + x, 0);
  const rows = current.map((c, i) => {
    const b = baseline[i] ?? 0;
    const expected = nb > 0 ? (nc * b) / nb : 0;
    let pValue = 1;
    if (nc > 0 && nb > 0) {
      const pooled = (c + b) / (nc + nb);
      const se = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nb));
      if (se > 0) pValue = Math.min(1, 2 * normalSf(Math.abs(c / nc - b / nb) / se));
    }
    return { expected, excess: c - expected, pValue };
  });
  const moved = rows.reduce((a, r) => a + Math.abs(r.excess), 0);
  return rows.map((r) => ({ ...r, share: moved > 0 ? Math.abs(r.excess) / moved : 0 }));
}
