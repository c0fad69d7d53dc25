// Property tests: p-values are probabilities, distances are symmetric, quantiles invert.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chi2Quantile,
  chi2Sf,
  chiSquaredHomogeneity,
  jensenShannonDistance,
  ksFromSamples,
  psi,
  twoProportionZTest,
  wasserstein1Binned,
  wilsonInterval,
} from "../../src/drift";

// Pairs of equal-length count vectors, each with a positive total.
const countPairs = fc
  .integer({ min: 1, max: 8 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.nat({ max: 500 }), { minLength: k, maxLength: k }),
      fc.array(fc.nat({ max: 500 }), { minLength: k, maxLength: k }),
    ),
  )
  .filter(([a, b]) => a.some((v) => v > 0) && b.some((v) => v > 0));

const inUnit = (p: number) => p >= 0 && p <= 1;

describe("statistics properties", () => {
  it("z-test p-values are probabilities and the one-sided ones sum to 1", () => {
    const counts = fc
      .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }))
      .chain(([n1, n2]) =>
        fc.tuple(
          fc.integer({ min: 0, max: n1 }),
          fc.constant(n1),
          fc.integer({ min: 0, max: n2 }),
          fc.constant(n2),
        ),
      );
    fc.assert(
      fc.property(counts, ([x1, n1, x2, n2]) => {
        const t = twoProportionZTest(x1, n1, x2, n2);
        expect(inUnit(t.pTwoSided) && inUnit(t.pGreater) && inUnit(t.pLess)).toBe(true);
        if (t.z !== 0) expect(Math.abs(t.pGreater + t.pLess - 1)).toBeLessThan(1e-12);
        const ci = wilsonInterval(x2, n2);
        expect(ci.lower <= x2 / n2 + 1e-12 && x2 / n2 <= ci.upper + 1e-12).toBe(true);
      }),
    );
  });

  it("chi-squared p-values are probabilities and the test is symmetric in its rows", () => {
    fc.assert(
      fc.property(countPairs, ([a, b]) => {
        const ab = chiSquaredHomogeneity(a, b);
        const ba = chiSquaredHomogeneity(b, a);
        expect(inUnit(ab.pValue)).toBe(true);
        expect(Math.abs(ab.statistic - ba.statistic)).toBeLessThanOrEqual(
          1e-9 * (1 + ab.statistic),
        );
      }),
    );
  });

  it("Jensen-Shannon is symmetric and within [0, 1] in base 2; PSI is symmetric and >= 0", () => {
    fc.assert(
      fc.property(countPairs, ([a, b]) => {
        const d = jensenShannonDistance(a, b);
        expect(d >= 0 && d <= 1 + 1e-12).toBe(true);
        expect(Math.abs(d - jensenShannonDistance(b, a))).toBeLessThan(1e-12);
        const value = psi(a, b);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(Math.abs(value - psi(b, a))).toBeLessThanOrEqual(1e-9 * (1 + value));
      }),
    );
  });

  it("Wasserstein-1 over the same bins is symmetric and non-negative", () => {
    fc.assert(
      fc.property(countPairs, ([a, b]) => {
        const bins = a.map((_, i) => i * 1.5);
        const d = wasserstein1Binned(bins, a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(Math.abs(d - wasserstein1Binned(bins, b, a))).toBeLessThan(1e-9);
      }),
    );
  });

  it("KS statistic lies in [0, 1], is symmetric, and its p-value is a probability", () => {
    const sample = fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const t = ksFromSamples(a, b);
        expect(t.statistic >= 0 && t.statistic <= 1 && inUnit(t.pValue)).toBe(true);
        expect(ksFromSamples(b, a).statistic).toBe(t.statistic);
      }),
    );
  });

  it("chi2Quantile inverts the survival function", () => {
    const dof = fc.integer({ min: 1, max: 200 });
    const tail = fc.double({ min: 1e-12, max: 1 - 1e-9, noNaN: true });
    fc.assert(
      fc.property(dof, tail, (k, q) => {
        const x = chi2Quantile(1 - q, k);
        // Compare in the tail that 1 - q represents without rounding.
        expect(Math.abs(chi2Sf(x, k) - (1 - (1 - q))) / q).toBeLessThan(1e-9);
      }),
    );
  });
});
