// The hypergeometric distribution's tails, summed exactly term by term (scipy's hypergeom.cdf
// and hypergeom.sf): the null distribution of one cell of a 2 x 2 table with fixed margins.
import { logGamma } from "./gamma";

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

function check(population: number, successes: number, draws: number): void {
  const ok =
    [population, successes, draws].every((v) => Number.isInteger(v) && v >= 0) &&
    successes <= population &&
    draws <= population;
  if (!ok) {
    throw new RangeError(
      `hypergeometric needs integers 0 <= successes, draws <= population, got ${population}, ${successes}, ${draws}`,
    );
  }
}

/** The values X can take, lo..hi, once the parameters are checked. */
function support(population: number, successes: number, draws: number) {
  check(population, successes, draws);
  return { lo: Math.max(0, draws - (population - successes)), hi: Math.min(draws, successes) };
}

/** P(X = x) for X the successes among `draws` taken without replacement (scipy's hypergeom.pmf(x, M, n, N)). */
export function hypergeometricPmf(
  x: number,
  population: number,
  successes: number,
  draws: number,
): number {
  const { lo, hi } = support(population, successes, draws);
  if (!Number.isInteger(x) || x < lo || x > hi) return 0;
  return Math.exp(
    logChoose(successes, x) +
      logChoose(population - successes, draws - x) -
      logChoose(population, draws),
  );
}

// Sums pmf(x) + pmf(x + step) + ... to the end of the support, each term from the last by the
// pmf's ratio recurrence, for an x on the far side of the mode only: terms then only shrink, so
// the sum stops once a term cannot change it. (From the near side the walk would cross the
// bulk, and a pmf(x) that underflows to 0 would make the whole tail 0.)
function farTail(
  x: number,
  population: number,
  successes: number,
  draws: number,
  step: 1 | -1,
): number {
  const { lo, hi } = support(population, successes, draws);
  let term = hypergeometricPmf(x, population, successes, draws);
  let sum = term;
  for (let k = x; step > 0 ? k < hi : k > lo; k += step) {
    const up = step > 0 ? k : k - 1;
    // pmf(up + 1) / pmf(up) = (K - up)(N - up) / ((up + 1)(M - K - N + up + 1))
    const ratio =
      ((successes - up) * (draws - up)) / ((up + 1) * (population - successes - draws + up + 1));
    term = step > 0 ? term * ratio : term / ratio;
    sum += term;
    if (term <= sum * 1e-17) break;
  }
  return Math.min(1, sum);
}

function mode(population: number, successes: number, draws: number): number {
  return Math.floor(((draws + 1) * (successes + 1)) / (population + 2));
}

/** P(X >= x) (scipy's hypergeom.sf(x - 1, M, n, N)). */
export function hypergeometricUpper(
  x: number,
  population: number,
  successes: number,
  draws: number,
): number {
  const { lo, hi } = support(population, successes, draws);
  const at = Math.ceil(x);
  if (at <= lo) return 1;
  if (at > hi) return 0;
  if (at > mode(population, successes, draws)) return farTail(at, population, successes, draws, 1);
  return Math.max(0, 1 - farTail(at - 1, population, successes, draws, -1));
}

/** P(X <= x) (scipy's hypergeom.cdf(x, M, n, N)). */
export function hypergeometricLower(
  x: number,
  population: number,
  successes: number,
  draws: number,
): number {
  const { lo, hi } = support(population, successes, draws);
  const at = Math.floor(x);
  if (at >= hi) return 1;
  if (at < lo) return 0;
  if (at < mode(population, successes, draws)) return farTail(at, population, successes, draws, -1);
  return Math.max(0, 1 - farTail(at + 1, population, successes, draws, 1));
}
