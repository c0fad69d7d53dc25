// The chi-squared and Kolmogorov distributions against published values and closed forms.
import { describe, expect, it } from "vitest";
import { chi2Cdf, chi2Quantile, chi2Sf, kolmogorovCdf, kolmogorovSf } from "../../src/drift";
import { expectClose } from "./close";

describe("chi-squared survival function", () => {
  it("gives 0.05 at the 95 % critical value with 1 dof", () => {
    // scipy: chi2.sf(3.841458820694124, 1) = 0.05 (also NIST e-Handbook 1.3.6.7.4: 3.841).
    expectClose(chi2Sf(3.841458820694124, 1), 0.05, 1e-13);
    // chi2(1) is Z^2: its 0.99 quantile is norm.ppf(0.995)^2 = 2.5758293035489004^2.
    expectClose(chi2Sf(2.5758293035489004 ** 2, 1), 0.01, 1e-13);
  });

  it("matches closed forms for 1, 2 and 4 degrees of freedom", () => {
    // chi2(1): sf = erfc(sqrt(x/2)) -> 2 * normalSf(sqrt x); chi2(2): sf = exp(-x/2);
    // chi2(4): sf = exp(-x/2) (1 + x/2). Reference values by hand / Math.exp.
    expectClose(chi2Sf(4, 1), 0.04550026389635841, 1e-13); // 2 * (1 - Phi(2))
    expectClose(chi2Sf(20, 1), 0.000007744216431044088, 1e-13); // erfc(sqrt 10), scipy gammaincc doc
    for (const x of [0.1, 1, 5.991464547107979, 40, 300]) {
      expectClose(chi2Sf(x, 2), Math.exp(-x / 2), 1e-13);
      expectClose(chi2Sf(x, 4), Math.exp(-x / 2) * (1 + x / 2), 1e-13);
      expectClose(chi2Cdf(x, 2), -Math.expm1(-x / 2), 1e-13);
    }
  });
});

describe("chi-squared quantile", () => {
  it("inverts to the published critical values", () => {
    // scipy chi2.ppf(0.95, 1) = 3.841458820694124; chi2(2) quantile is -2 ln(1 - p) exactly.
    expectClose(chi2Quantile(0.95, 1), 3.841458820694124, 1e-14);
    expectClose(chi2Quantile(0.95, 2), -2 * Math.log(0.05), 1e-14);
    expectClose(chi2Quantile(0.999, 2), -2 * Math.log(0.001), 1e-13);
    expectClose(chi2Quantile(0.99, 1), 2.5758293035489004 ** 2, 1e-13);
  });

  it("agrees with the NIST table to its three decimals", () => {
    // NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.4, upper critical values.
    const table: Array<[number, number, number]> = [
      [0.05, 5, 11.07],
      [0.05, 10, 18.307],
      [0.01, 10, 23.209],
      [0.05, 30, 43.773],
      [0.001, 100, 149.449],
    ];
    for (const [alpha, dof, critical] of table) {
      expect(Math.abs(chi2Quantile(1 - alpha, dof) - critical)).toBeLessThan(5e-4);
    }
  });

  it("keeps its relative precision deep in the lower tail", () => {
    // scipy chi2.ppf: (1e-200, 50) = 2.035428374943284e-07 (was 1.23e-6 after 400 steps),
    // (1e-300, 4) = 2.828427124746146e-150, (1e-50, 1) = 1.570796326794877e-100.
    expectClose(chi2Quantile(1e-200, 50), 2.035428374943284e-7, 1e-10);
    expectClose(chi2Quantile(1e-300, 4), 2.828427124746146e-150, 1e-10);
    expectClose(chi2Quantile(1e-50, 1), 1.570796326794877e-100, 1e-10);
  });

  it("handles the ends of [0, 1]", () => {
    expect(chi2Quantile(0, 3)).toBe(0);
    expect(chi2Quantile(1, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(() => chi2Quantile(1.5, 3)).toThrow(RangeError);
  });
});

describe("Kolmogorov distribution", () => {
  it("matches scipy's test values for scipy.special.kolmogorov", () => {
    // scipy/special/tests/test_kolmogorov.py, TestKolmogorov.test_basic.
    expectClose(kolmogorovSf(0), 1, 0);
    expectClose(kolmogorovSf(0.5), 0.9639452436648751, 1e-14);
    expectClose(kolmogorovSf(0.8275735551899077), 0.5, 1e-14);
    expectClose(kolmogorovSf(1), 0.26999967167735456, 1e-14);
    expectClose(kolmogorovSf(2), 0.0006709252557796953, 1e-14);
  });

  it("gives 0.05 at Smirnov's 1.358 critical value", () => {
    // kstwobign.sf(1.358099) ~ 0.05; the exact 0.05 point is 1.3580986393225505 (mpmath root).
    expectClose(kolmogorovSf(1.358099), 0.05, 1e-5);
    expectClose(kolmogorovSf(1.3580986393225505), 0.05, 1e-14);
    expectClose(kolmogorovCdf(1.3580986393225505), 0.95, 1e-14);
    expectClose(kolmogorovCdf(0.5), 1 - 0.9639452436648751, 1e-12);
  });
});
