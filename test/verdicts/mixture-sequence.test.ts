// The normal-mixture confidence sequence against an independent computation: the mixture
// likelihood ratio integrated numerically over its N(θ0, τ²) prior, and closed forms.
import { describe, expect, it } from "vitest";
import { mixtureLogRatio, mixtureRadius, multiScaleRadius } from "../../src/verdicts";
import { expectClose } from "../drift/close";

/** Λ(θ0) = ∫ N(d; θ, s²) / N(d; θ0, s²) · N(θ; θ0, τ²) dθ by the trapezoid rule. */
function integratedRatio(d: number, s2: number, tau: number, theta0: number): number {
  const steps = 200_000;
  const lo = theta0 - 12 * tau;
  const h = (24 * tau) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const theta = lo + i * h;
    const logLr = ((d - theta0) ** 2 - (d - theta) ** 2) / (2 * s2);
    const prior =
      Math.exp(-((theta - theta0) ** 2) / (2 * tau * tau)) / (tau * Math.sqrt(2 * Math.PI));
    sum += (i === 0 || i === steps ? 0.5 : 1) * Math.exp(logLr) * prior;
  }
  return sum * h;
}

describe("normal-mixture confidence sequence", () => {
  it("has the closed-form radius sqrt(2 (2 + ln 2)) when s² = τ² = 1 and alpha = 1/e", () => {
    expectClose(mixtureRadius(1, 1, Math.exp(-1)), Math.sqrt(2 * (2 + Math.LN2)), 1e-14);
  });

  it("matches the numerically integrated mixture likelihood ratio to 1e-7", () => {
    for (const [d, s2, tau] of [
      [0.03, 1e-4, 0.01],
      [-0.2, 0.01, 0.05],
      [0.5, 0.3, 1],
    ] as const) {
      for (const theta0 of [0, d / 2, d + 0.01]) {
        expectClose(
          mixtureLogRatio(d, s2, tau, theta0),
          Math.log(integratedRatio(d, s2, tau, theta0)),
          1e-7,
        );
      }
    }
  });

  it("puts the likelihood ratio at exactly 1/alpha on the edge of the sequence", () => {
    for (const [s2, tau, alpha] of [
      [1e-4, 0.01, 0.01 / 12],
      [2.5e-5, 0.03, 0.05],
      [0.04, 0.2, 0.001],
    ] as const) {
      const r = mixtureRadius(s2, tau, alpha);
      expectClose(mixtureLogRatio(0.1, s2, tau, 0.1 - r), Math.log(1 / alpha), 1e-12);
      expectClose(mixtureLogRatio(0.1, s2, tau, 0.1 + r), Math.log(1 / alpha), 1e-12);
    }
  });

  it("is wider than the fixed-sample interval at the same error, and narrows as information grows", () => {
    const z = 2.5758293035489004; // two-sided 1 % normal quantile
    let previous = Number.POSITIVE_INFINITY;
    for (const s2 of [1e-2, 1e-3, 1e-4, 1e-5, 1e-6]) {
      const r = mixtureRadius(s2, 0.01, 0.01);
      expect(r).toBeGreaterThan(z * Math.sqrt(s2));
      expect(r).toBeLessThan(previous);
      previous = r;
    }
  });

  it("is empty with no variance and infinite with undefined variance", () => {
    expect(mixtureRadius(0, 0.01, 0.01)).toBe(0);
    expect(mixtureRadius(Number.NaN, 0.01, 0.01)).toBe(Number.POSITIVE_INFINITY);
    expect(() => mixtureRadius(1, 0, 0.01)).toThrow(RangeError);
    expect(() => mixtureRadius(1, 1, 1)).toThrow(RangeError);
  });
});

describe("confidence sequence over several mixing scales", () => {
  it("has the closed-form radius sqrt(17/16 (2 + ln 17)) for s² = 1, scales {1, 4} and alpha = 2/e", () => {
    // Each scale at alpha / 2 = 1/e: scale 1 gives sqrt(2 (2 + ln 2)) = 2.321, scale 4
    // sqrt(17/16 (2 + ln 17)) = 2.266, the narrower.
    expectClose(
      multiScaleRadius(1, [1, 4], 2 * Math.exp(-1)),
      Math.sqrt((17 / 16) * (2 + Math.log(17))),
      1e-14,
    );
  });

  it("puts the larger scale-wise likelihood ratio at exactly J/alpha on its edge (union bound)", () => {
    for (const [s2, margin, alpha] of [
      [1e-4, 0.01, 0.01 / 4],
      [2.5e-4, 0.05, 0.01 / 4],
      [1e-6, 0.05, 0.01 / 13],
    ] as const) {
      const taus = [margin, 4 * margin];
      const r = multiScaleRadius(s2, taus, alpha);
      const largest = Math.max(...taus.map((tau) => integratedRatio(0.1, s2, tau, 0.1 - r)));
      expectClose(Math.log(largest), Math.log(2 / alpha), 1e-7);
    }
  });

  it("equals the one-scale sequence for one scale, and is never wider than either scale at alpha / 2", () => {
    expect(multiScaleRadius(1e-4, [0.01], 0.01)).toBe(mixtureRadius(1e-4, 0.01, 0.01));
    for (const s2 of [1e-7, 1e-5, 1e-3, 1e-1]) {
      const r = multiScaleRadius(s2, [0.05, 0.2], 0.01);
      expect(r).toBeLessThanOrEqual(mixtureRadius(s2, 0.05, 0.005));
      expect(r).toBeLessThanOrEqual(mixtureRadius(s2, 0.2, 0.005));
    }
    expect(() => multiScaleRadius(1, [], 0.01)).toThrow(RangeError);
  });
});
