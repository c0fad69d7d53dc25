// Exact Poisson tails against scipy.stats.poisson (sf(x - 1, mean) and cdf(x, mean)).
import { describe, expect, it } from "vitest";
import { poissonLowerTail, poissonUpperTail } from "../../src/drift";
import { expectClose } from "./close";

describe("poissonUpperTail: P(X >= x)", () => {
  it("matches scipy's poisson.sf(x - 1, mean)", () => {
    expectClose(poissonUpperTail(30, 100 * (50 / 300)), 0.0020580463248871346, 1e-12);
    expectClose(poissonUpperTail(5, 1.5), 0.018575936222140675, 1e-12);
    expectClose(poissonUpperTail(1, 0.1), 0.09516258196404044, 1e-12);
  });

  it("is 1 at x <= 0 and 0 for a zero mean", () => {
    expect(poissonUpperTail(0, 4)).toBe(1);
    expect(poissonUpperTail(3, 0)).toBe(0);
  });
});

describe("poissonLowerTail: P(X <= x)", () => {
  it("matches scipy's poisson.cdf(x, mean)", () => {
    expectClose(poissonLowerTail(20, 100), 1.905558742030033e-22, 1e-10);
    expectClose(poissonLowerTail(0, 3), 0.04978706836786395, 1e-12);
    expectClose(poissonLowerTail(7, 7), 0.5987138355230368, 1e-12);
  });

  it("is 0 below zero and 1 for a zero mean", () => {
    expect(poissonLowerTail(-1, 4)).toBe(0);
    expect(poissonLowerTail(2, 0)).toBe(1);
  });
});
