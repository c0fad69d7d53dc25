// Two-proportion z-test and the Wilson score interval.
import { describe, expect, it } from "vitest";
import { chiSquaredHomogeneity, twoProportionZTest, wilsonInterval } from "../../src/drift";
import { expectClose } from "./close";

describe("two-proportion z-test", () => {
  // With equal group sizes n and a pooled rate of 1/2, z = d sqrt(2n) exactly, so the two-sided
  // p-value is erfc(|z| / sqrt 2) with tabulated erfc: erfc(1) = 0.15729920705028513,
  // erfc(2) = 0.004677734981047266, erfc(3) = 2.209049699858544e-5 (A&S Table 7.1 / mpmath),
  // and 2(1 - Phi(2)) = 0.04550026389635842 (A&S Table 26.1).
  it("gives z = sqrt 2 and p = erfc(1) for 45/100 -> 55/100", () => {
    const t = twoProportionZTest(45, 100, 55, 100);
    expectClose(t.z, Math.SQRT2, 1e-14);
    expectClose(t.pTwoSided, 0.15729920705028513, 1e-14);
    expectClose(t.pGreater, 0.15729920705028513 / 2, 1e-14);
    expectClose(t.pLess, 1 - 0.15729920705028513 / 2, 1e-14);
    expectClose(t.difference, 0.1, 1e-14);
    expectClose(t.pooledRate, 0.5, 0);
  });

  it("gives z = 2 sqrt 2 and p = erfc(2) for 4/16 -> 12/16", () => {
    const t = twoProportionZTest(4, 16, 12, 16);
    expectClose(t.z, 2 * Math.SQRT2, 1e-14);
    expectClose(t.pTwoSided, 0.004677734981047266, 1e-14);
  });

  it("gives z = 3 sqrt 2 and p = erfc(3) for 35/100 -> 65/100", () => {
    const t = twoProportionZTest(35, 100, 65, 100);
    expectClose(t.z, 3 * Math.SQRT2, 1e-14);
    expectClose(t.pTwoSided, 0.00002209049699858544, 1e-13);
    expectClose(t.pGreater, 0.00002209049699858544 / 2, 1e-13);
  });

  it("gives z = -2 and p = 0.0455 when the rate falls from 30/50 to 20/50", () => {
    const t = twoProportionZTest(30, 50, 20, 50);
    expectClose(t.z, -2, 1e-14);
    expectClose(t.pTwoSided, 0.04550026389635842, 1e-13);
    expectClose(t.pLess, 0.04550026389635842 / 2, 1e-13);
  });

  it("squares to the uncorrected chi-squared of the same 2x2 table", () => {
    // Aspirin/ischemic-stroke table from the scipy.stats.chi2_contingency docs (Berger 2006).
    const t = twoProportionZTest(230, 21248, 176, 21211);
    const chi = chiSquaredHomogeneity([230, 21018], [176, 21035]);
    expectClose(t.z * t.z, chi.statistic, 1e-12);
    expectClose(t.pTwoSided, chi.pValue, 1e-12);
  });

  it("returns p = 1 when every observation agrees", () => {
    const t = twoProportionZTest(0, 50, 0, 70);
    expect(t).toMatchObject({ z: 0, pTwoSided: 1, pGreater: 1, pLess: 1, difference: 0 });
    expect(() => twoProportionZTest(1, 0, 1, 10)).toThrow(RangeError);
    expect(() => twoProportionZTest(11, 10, 1, 10)).toThrow(RangeError);
  });
});

describe("Wilson score interval", () => {
  it("reproduces the worked examples of Newcombe (1998), method 3, at 95 %", () => {
    // Newcombe RG, Statistics in Medicine 17:857-872 (1998), printed to 4 decimals.
    const cases: Array<[number, number, number, number]> = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [x, n, lower, upper] of cases) {
      const ci = wilsonInterval(x, n);
      expect(Math.abs(ci.lower - lower)).toBeLessThanOrEqual(5e-5);
      expect(Math.abs(ci.upper - upper)).toBeLessThanOrEqual(5e-5);
    }
  });

  it("matches closed forms at z = 2", () => {
    // x/n = 1/2: center 1/2, half-width z sqrt(1/(4n) + z^2/(4n^2)) / (1 + z^2/n); n = 4 gives
    // 1/2 -+ sqrt(2)/4. x = 0: upper = z^2 / (n + z^2) = 4/16. x = 3, n = 12: center 5/16,
    // half-width sqrt(13)/16 - worked by hand from Wilson's formula.
    const half = wilsonInterval(2, 4, 2);
    expectClose(half.lower, 0.5 - Math.SQRT2 / 4, 1e-15);
    expectClose(half.upper, 0.5 + Math.SQRT2 / 4, 1e-15);
    expectClose(wilsonInterval(0, 12, 2).upper, 0.25, 1e-15);
    const quarter = wilsonInterval(3, 12, 2);
    expectClose(quarter.center, 5 / 16, 1e-15);
    expectClose(quarter.lower, (5 - Math.sqrt(13)) / 16, 1e-14);
    expectClose(quarter.upper, (5 + Math.sqrt(13)) / 16, 1e-14);
  });
});
