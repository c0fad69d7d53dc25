// Jensen-Shannon distance between two categorical distributions given as counts.
import { at, checkedTotal, checkSameLength } from "./validate";

// x ln(x / y) with the convention 0 ln 0 = 0 (scipy.special.rel_entr for x, y >= 0).
function relEntr(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}

/**
 * sqrt((KL(p || m) + KL(q || m)) / 2) with m = (p + q) / 2, after normalising both count
 * vectors: scipy.spatial.distance.jensenshannon(p, q, base). With the default base 2 the
 * distance lies in [0, 1], 1 meaning disjoint supports.
 */
export function jensenShannonDistance(
  p: readonly number[],
  q: readonly number[],
  base = 2,
): number {
  checkSameLength(p, q);
  const sp = checkedTotal("p", p);
  const sq = checkedTotal("q", q);
  if (sp === 0 || sq === 0) throw new RangeError("both distributions need a positive total");
  if (!(base > 0 && base !== 1)) throw new RangeError(`log base must be positive and not 1`);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = at(p, i) / sp;
    const qi = at(q, i) / sq;
    const mi = (pi + qi) / 2;
    divergence += relEntr(pi, mi) + relEntr(qi, mi);
  }
  // Rounding can leave a tiny negative sum for identical inputs; the distance is then 0.
  return Math.sqrt(Math.max(0, divergence / 2 / Math.log(base)));
}
