// PSI over fixed bins and its sample-size-aware null threshold.
import { describe, expect, it } from "vitest";
import { PSI_EPSILON, psi, psiNullQuantile, psiPValue } from "../../src/drift";
import { expectClose } from "./close";

describe("population stability index", () => {
  it("matches a two-bin case worked by hand", () => {
    // b = (1/2, 1/2), c = (1/4, 3/4): (-1/4) ln(1/2) + (1/4) ln(3/2) = (1/4) ln 3.
    expectClose(psi([50, 50], [25, 75]), 0.25 * Math.log(3), 1e-15);
    // Scale-free in the totals: the same proportions from other counts give the same PSI.
    expectClose(psi([1000, 1000], [10, 30]), 0.25 * Math.log(3), 1e-15);
  });

  it("matches a three-bin case worked by hand", () => {
    // b = (0.2, 0.3, 0.5), c = (0.3, 0.3, 0.4):
    // 0.1 ln(3/2) + 0 - 0.1 ln(4/5) = 0.1 ln(15/8).
    expectClose(psi([20, 30, 50], [30, 30, 40]), 0.1 * Math.log(15 / 8), 1e-14);
  });

  it("replaces empty bins by Evidently's 1e-4 proportion", () => {
    // b = (1, 0 -> 1e-4), c = (1/2, 1/2): (-1/2) ln(1/2) + (1/2 - 1e-4) ln(5000).
    const expected = 0.5 * Math.LN2 + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expectClose(psi([100, 0], [50, 50]), expected, 1e-15);
    expect(PSI_EPSILON).toBe(1e-4);
    // The epsilon is a parameter.
    expectClose(psi([100, 0], [50, 50], 1e-3), 0.5 * Math.LN2 + 0.499 * Math.log(500), 1e-15);
  });

  it("is zero for identical mixes and rejects empty totals", () => {
    expect(psi([3, 0, 7], [30, 0, 70])).toBe(0);
    expect(() => psi([0, 0], [1, 1])).toThrow(RangeError);
  });
});

describe("PSI null distribution", () => {
  it("scales the chi-squared quantile by 1/n + 1/m", () => {
    // k = 2: chi2.ppf(0.95, 1) = 3.841458820694124 (scipy); k = 3: chi2(2) quantile is
    // -2 ln(1 - p) exactly.
    expectClose(psiNullQuantile(2, 100, 100, 0.95), 0.02 * 3.841458820694124, 1e-14);
    expectClose(psiNullQuantile(3, 100, 100, 0.95), 0.02 * -2 * Math.log(0.05), 1e-14);
    expectClose(
      psiNullQuantile(3, 1000, 250, 0.999),
      (1 / 1000 + 1 / 250) * -2 * Math.log(0.001),
      1e-13,
    );
  });

  it("puts the p-value of the null quantile at 1 - p", () => {
    // psiPValue(psi) = chi2.sf(psi / (1/n + 1/m), k - 1); with k = 3 that is exp(-x/2).
    expectClose(psiPValue(0.02 * 4, 3, 100, 100), Math.exp(-2), 1e-14);
    expectClose(psiPValue(psiNullQuantile(10, 500, 800, 0.99), 10, 500, 800), 0.01, 1e-12);
    expect(() => psiNullQuantile(1, 100, 100, 0.95)).toThrow(RangeError);
  });
});
