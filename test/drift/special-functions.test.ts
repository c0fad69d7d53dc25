// erf/erfc, the normal distribution, log-gamma and the incomplete gamma functions against references.
import { describe, it } from "vitest";
import {
  erf,
  erfc,
  logGamma,
  normalCdf,
  normalSf,
  regularizedGammaP,
  regularizedGammaQ,
} from "../../src/drift";
import { expectClose } from "./close";

describe("erf and erfc (Cody)", () => {
  it("match high-precision values in all three of Cody's intervals", () => {
    // mpmath.erf / mpmath.erfc at 50 digits (identical to MPFR and to A&S Table 7.1 where it
    // tabulates them).
    expectClose(erf(0.1), 0.1124629160182849, 1e-15);
    expectClose(erf(0.5), 0.5204998778130465, 1e-15);
    expectClose(erf(1), 0.8427007929497149, 1e-15);
    expectClose(erfc(0.5), 0.4795001221869535, 1e-15);
    expectClose(erfc(1), 0.15729920705028513, 1e-15);
    expectClose(erfc(2), 0.004677734981047266, 1e-15);
    expectClose(erfc(3), 0.00002209049699858544, 1e-15);
    expectClose(erfc(5), 1.537459794428035e-12, 1e-15);
    expectClose(erfc(10), 2.088487583762545e-45, 1e-15);
    expectClose(erfc(20), 5.395865611607901e-176, 1e-15);
  });

  it("is odd (erf) and reflects (erfc(-x) = 2 - erfc(x))", () => {
    expectClose(erf(-0.3), -erf(0.3), 0);
    expectClose(erfc(-1), 2 - 0.15729920705028513, 1e-15);
    expectClose(erfc(30), 0, 0); // underflows, as in double precision
  });
});

describe("standard normal", () => {
  it("matches the CDF table values", () => {
    // Abramowitz & Stegun Table 26.1 (15 decimals): Phi(1), Phi(2), Phi(3).
    expectClose(normalCdf(1), 0.841344746068543, 1e-14);
    expectClose(normalCdf(2), 0.977249868051821, 1e-14);
    expectClose(normalCdf(3), 0.99865010196837, 1e-14);
  });

  it("keeps full relative precision in the upper tail", () => {
    // scipy: norm.sf(1.959963984540054) = 0.025 (the two-sided 95 % critical value).
    expectClose(normalSf(1.959963984540054), 0.025, 1e-14);
    // Q(x) = erfc(x / sqrt 2) / 2, by mpmath at 50 digits.
    expectClose(normalSf(3), 0.0013498980316300946, 1e-14);
    expectClose(normalSf(5), 2.866515718791939e-7, 1e-13);
    expectClose(normalSf(10), 7.619853024160525e-24, 1e-13);
    expectClose(normalCdf(-5), 2.866515718791939e-7, 1e-13);
  });
});

describe("logGamma (Lanczos)", () => {
  it("matches exact values", () => {
    // ln Gamma(1/2) = ln sqrt(pi); ln Gamma(10) = ln 9!; ln Gamma(101) = ln 100! (mpmath).
    expectClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-15);
    expectClose(logGamma(10), Math.log(362880), 1e-14);
    expectClose(logGamma(101), 363.73937555556347, 1e-14);
    expectClose(logGamma(3), Math.LN2, 1e-14);
  });
});

describe("regularised incomplete gamma", () => {
  it("matches the scipy.special.gammaincc documentation example", () => {
    // scipy.special.gammaincc docs: gammaincc(0.5, [0, 1, 10, 100]) printed to 9 digits as
    // [1.0, 1.57299207e-01, 7.74421643e-06, 2.08848758e-45].
    expectClose(regularizedGammaQ(0.5, 0), 1, 0);
    expectClose(regularizedGammaQ(0.5, 1), 1.57299207e-1, 5e-9);
    expectClose(regularizedGammaQ(0.5, 10), 7.74421643e-6, 5e-9);
    expectClose(regularizedGammaQ(0.5, 100), 2.08848758e-45, 5e-9);
  });

  it("matches closed forms for half-integer and integer a", () => {
    // Q(1/2, x) = erfc(sqrt x); Q(1, x) = e^-x; Q(3, x) = e^-x (1 + x + x^2/2) (DLMF section 8.4).
    for (const x of [0.01, 0.5, 2, 7.5, 30]) {
      expectClose(regularizedGammaQ(0.5, x), erfc(Math.sqrt(x)), 1e-13);
      expectClose(regularizedGammaQ(1, x), Math.exp(-x), 1e-13);
      expectClose(regularizedGammaQ(3, x), Math.exp(-x) * (1 + x + (x * x) / 2), 1e-13);
      expectClose(regularizedGammaP(1, x), -Math.expm1(-x), 1e-13);
    }
  });
});
