// Holm's step-down adjustment (Holm 1979) of p-values for the number of hypotheses tested:
// controls the family-wise error rate like Bonferroni, and rejects at least as much.

/**
 * Adjusted p-values in the input order: sorted ascending, the i-th (0-based) of m is
 * max over j ≤ i of min(1, (m − j)·p_j). Reject where adjusted < α.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
