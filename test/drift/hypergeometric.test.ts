// Hypergeometric pmf and tails against scipy.stats.hypergeom, and the exact category-mix test.
import { describe, expect, it } from "vitest";
import {
  categoryExactTest,
  hypergeometricLower,
  hypergeometricPmf,
  hypergeometricUpper,
} from "../../src/drift";
import { expectClose } from "./close";

// scipy 1.17: hypergeom.pmf(x, M, n, N), hypergeom.sf(x - 1, M, n, N), hypergeom.cdf(x, M, n, N).
const SCIPY: ReadonlyArray<[number, number, number, number, number, number, number]> = [
  [8, 96950, 1016, 150, 0.00016849229200157308, 0.00020124235605823178, 0.9999672499359433],
  [5, 10, 5, 5, 0.003968253968253969, 0.003968253968253969, 1],
  [0, 100950, 4037, 150, 0.002184502238478494, 1, 0.002184502238478494],
  [30, 200, 60, 100, 0.1225387049745129, 0.5612693524872567, 0.5612693524872567],
  [140, 100950, 95897, 150, 0.08717881843310878, 0.867247731130128, 0.21993108730298075],
  [2, 20, 7, 12, 0.047678018575851404, 0.995562435500516, 0.05211558307533541],
];

describe("hypergeometric distribution", () => {
  it.each(SCIPY)("matches scipy at x = %i, M = %i, n = %i, N = %i", (x, M, n, N, pmf, sf, cdf) => {
    // 1e-9: log-gamma of six-digit totals carries ~1e-10 absolute error into the exponent.
    expectClose(hypergeometricPmf(x, M, n, N), pmf, 1e-9);
    expectClose(hypergeometricUpper(x, M, n, N), sf, 1e-9);
    expectClose(hypergeometricLower(x, M, n, N), cdf, 1e-9);
  });

  it("sums to one over its support and is zero outside it", () => {
    let total = 0;
    for (let x = 0; x <= 12; x++) total += hypergeometricPmf(x, 20, 7, 12);
    expectClose(total, 1, 1e-13);
    expect(hypergeometricPmf(8, 20, 7, 12)).toBe(0);
    expect(hypergeometricUpper(8, 20, 7, 12)).toBe(0);
    expect(hypergeometricLower(-1, 20, 7, 12)).toBe(0);
  });

  it("rejects impossible margins with a RangeError", () => {
    expect(() => hypergeometricPmf(1, 10, 11, 2)).toThrow(RangeError);
    expect(() => hypergeometricUpper(1, 10, 2.5, 2)).toThrow(RangeError);
  });
});

describe("exact category-mix test", () => {
  it("gives the issue's rare-category example p = 9.2e-4, not chi-squared's 7.1e-7", () => {
    // 3 x min(1, 2 min(hypergeom.sf(7, 100950, 1016, 150), hypergeom.cdf(8, ...))) in scipy.
    const t = categoryExactTest([95760, 4032, 1008], [137, 5, 8]);
    expectClose(t.pValue, 0.0009200420221638746, 1e-9);
    expect(t).toMatchObject({ category: 2, tests: 3 });
  });

  it("counts one test for a two-category mix, whose two tables are the same", () => {
    // 2 min(hypergeom.sf(4, 100950, 4042, 150), hypergeom.cdf(5, ...)) = 0.8826042132011382.
    const t = categoryExactTest([4037, 96763], [5, 145]);
    expectClose(t.pValue, 0.8826042132011382, 1e-9);
    expect(t.tests).toBe(1);
  });

  it("finds a new category at once", () => {
    const t = categoryExactTest([9000, 1000, 0], [60, 10, 30]);
    expect(t.pValue).toBeLessThan(1e-20);
    expect(t.category).toBe(2);
  });

  it("rejects an empty row and non-integer counts", () => {
    expect(() => categoryExactTest([1, 2], [0, 0])).toThrow(RangeError);
    expect(() => categoryExactTest([1, 2], [0.5, 1])).toThrow(RangeError);
  });
});

describe("hypergeometric tails far from the mode", () => {
  it("gives ~1 for the near-side tail even when pmf(x) underflows", () => {
    // 150,000 draws from 1,000,000 with 900,000 successes: the mode is 135,000; x = 100,000 is
    // hundreds of sd below it, so P(X >= x) = 1 and P(X <= x) underflows to 0.
    expect(hypergeometricUpper(100_000, 1_000_000, 900_000, 150_000)).toBe(1);
    expect(hypergeometricLower(100_000, 1_000_000, 900_000, 150_000)).toBe(0);
    expect(categoryExactTest([900_000, 100_000], [135_000, 15_000]).pValue).toBeGreaterThan(0.5);
  });
});
