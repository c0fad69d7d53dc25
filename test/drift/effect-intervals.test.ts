// Effect-size intervals: Newcombe's hybrid score interval, the Poisson rate ratio's log
// interval, and order-statistic intervals for quantiles, against published or hand-worked
// reference values, and their coverage on simulated samples.
import { describe, expect, it } from "vitest";
import {
  compareQuantiles,
  newcombeDifference,
  poissonRateRatio,
  quantileRanks,
} from "../../src/drift";
import { normal, seededRandom } from "../sample-values";
import { expectClose } from "./close";

describe("Newcombe's hybrid score interval for a difference of proportions", () => {
  // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10, to 4 decimals.
  // [window successes, window trials, baseline successes, baseline trials, lower, upper]
  const table: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  for (const [x2, n2, x1, n1, lower, upper] of table) {
    it(`reproduces Newcombe's Table II for ${x2}/${n2} − ${x1}/${n1}: ${lower} to ${upper}`, () => {
      const r = newcombeDifference(x1, n1, x2, n2);
      expect(r.lower).toBeCloseTo(lower, 4);
      expect(r.upper).toBeCloseTo(upper, 4);
      expectClose(r.difference, x2 / n2 - x1 / n1, 1e-15);
    });
  }

  it("covers the true difference about 95 % of the time at alert-sized counts", () => {
    const r = seededRandom(27);
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      let x1 = 0;
      let x2 = 0;
      for (let k = 0; k < 400; k++) if (r() < 0.05) x1++;
      for (let k = 0; k < 200; k++) if (r() < 0.12) x2++;
      const ci = newcombeDifference(x1, 400, x2, 200);
      if (ci.lower <= 0.07 && 0.07 <= ci.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.935);
    expect(covered / runs).toBeLessThan(0.965);
  });
});

describe("the log interval of a Poisson rate ratio", () => {
  it("gives 1.86 (1.03 to 3.35) for 41 cases in 28,010 person-years against 15 in 19,017", () => {
    // Worked by hand: ln(1.8558) ± 1.96·sqrt(1/41 + 1/15) = 0.6183 ± 0.5915.
    const r = poissonRateRatio(41, 28_010, 15, 19_017);
    expect(r.ratio).toBeCloseTo(1.8558, 4);
    expect(r.lower).toBeCloseTo(1.0272, 4);
    expect(r.upper).toBeCloseTo(3.3526, 4);
  });

  it("stays finite when the window counts nothing, with the estimate still 0", () => {
    const r = poissonRateRatio(0, 10, 500, 60);
    expect(r.ratio).toBe(0);
    expect(r.lower).toBeGreaterThan(0);
    expect(r.upper).toBeLessThan(0.1);
  });

  it("refuses a baseline without events", () => {
    expect(() => poissonRateRatio(3, 10, 0, 60)).toThrow(RangeError);
  });
});

describe("order-statistic intervals for quantiles", () => {
  it("brackets the median of 100 values by the 40th and 61st, as the exact binomial table does", () => {
    // P(Binomial(100, 1/2) in 40..60) = 0.9648 (summed from the binomial probabilities).
    expect(quantileRanks(100, 0.5)).toEqual({ lower: 40, upper: 61 });
  });

  it("clamps the ranks to the sample for a tail quantile of a few values", () => {
    expect(quantileRanks(5, 0.99)).toEqual({ lower: 4, upper: 5 });
    expect(quantileRanks(1, 0.5)).toEqual({ lower: 1, upper: 1 });
  });

  it("compares positive quantiles as a ratio and others as a difference", () => {
    const ratio = compareQuantiles(
      { estimate: 200, lower: 180, upper: 220 },
      { estimate: 100, lower: 95, upper: 105 },
    );
    expect(ratio.kind).toBe("ratio");
    expectClose(ratio.estimate, 2, 1e-15);
    expect(ratio.lower).toBeLessThan(2);
    expect(ratio.upper).toBeGreaterThan(2);
    const diff = compareQuantiles(
      { estimate: 0.1, lower: -0.1, upper: 0.3 },
      { estimate: 0.5, lower: 0.4, upper: 0.6 },
    );
    expect(diff.kind).toBe("difference");
    expectClose(diff.estimate, -0.4, 1e-12);
  });

  it("covers the true ratio of p95s at least 95 % of the time on lognormal samples", () => {
    const r = seededRandom(95);
    const sample = (n: number, median: number) =>
      Array.from({ length: n }, () => median * Math.exp(0.5 * normal(r))).sort((a, b) => a - b);
    const bounds = (xs: number[], q: number) => {
      const ranks = quantileRanks(xs.length, q);
      const at = (rank: number) => xs[rank - 1] ?? Number.NaN;
      return {
        estimate: at(Math.floor(q * (xs.length - 1)) + 1),
        lower: at(ranks.lower),
        upper: at(ranks.upper),
      };
    };
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const ci = compareQuantiles(bounds(sample(300, 900), 0.95), bounds(sample(600, 600), 0.95));
      if (ci.lower <= 1.5 && 1.5 <= ci.upper) covered++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.95);
    expect(covered / runs).toBeLessThan(0.99);
  });
});
