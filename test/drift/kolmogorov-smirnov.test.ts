// Two-sample Kolmogorov-Smirnov statistic from CDFs or samples, and its asymptotic p-value.
import { describe, expect, it } from "vitest";
import { kolmogorovSf, ksAsymptoticPValue, ksFromCdfs, ksFromSamples } from "../../src/drift";
import { expectClose } from "./close";

// Right-continuous empirical CDF of a sample, the shape the sketches hand to ksFromCdfs.
function ecdf(sample: readonly number[]): (x: number) => number {
  return (x) => sample.filter((v) => v <= x).length / sample.length;
}

describe("two-sample KS statistic", () => {
  it("equals scipy.stats.ks_2samp's D on small samples worked by hand", () => {
    // [1,2,3] vs [1.5,2.5,3.5,4.5]: at x = 3, F_A = 1 and F_B = 2/4, so D = 1/2.
    expect(ksFromSamples([1, 2, 3], [1.5, 2.5, 3.5, 4.5]).statistic).toBe(0.5);
    // Ties jump together: at 1, F_A = 2/4 and F_B = 1/4; at 2, 4/4 vs 3/4; so D = 1/4.
    expect(ksFromSamples([1, 1, 2, 2], [1, 2, 2, 3]).statistic).toBe(0.25);
    // Disjoint supports: D = 1. Identical samples: D = 0.
    expect(ksFromSamples([1, 2], [5, 6, 7]).statistic).toBe(1);
    expect(ksFromSamples([3, 1, 2], [2, 3, 1]).statistic).toBe(0);
  });

  it("gives the same D from step CDFs evaluated on the merged jump points", () => {
    const a = [0.3, 1.2, 1.2, 2.5, 4.1, 7.7];
    const b = [0.9, 1.2, 3.3, 3.4, 5.0];
    const grid = [...new Set([...a, ...b])].sort((x, y) => x - y);
    const fromCdfs = ksFromCdfs(grid, ecdf(a), ecdf(b), a.length, b.length);
    const fromSamples = ksFromSamples(a, b);
    expect(fromCdfs.statistic).toBe(fromSamples.statistic);
    expect(fromCdfs.pValue).toBe(fromSamples.pValue);
    expectClose(fromCdfs.effectiveN, 30 / 11, 1e-15);
  });

  it("takes the supremum of continuous CDFs over the grid", () => {
    // Uniform(0,1) vs Uniform(0.2,1.2): the CDFs differ by exactly 0.2 on [0.2, 1].
    const u0 = (x: number) => Math.min(1, Math.max(0, x));
    const u1 = (x: number) => Math.min(1, Math.max(0, x - 0.2));
    const grid = Array.from({ length: 13 }, (_, i) => i / 10);
    expectClose(ksFromCdfs(grid, u0, u1, 100, 100).statistic, 0.2, 1e-14);
  });
});

describe("asymptotic KS p-value", () => {
  it("is kstwobign.sf(sqrt(nA nB / (nA + nB)) D)", () => {
    // en = 200 * 200 / 400 = 100, so sqrt(en) * 0.1 = 1 and p = kolmogorov(1)
    // = 0.26999967167735456 (scipy/special/tests/test_kolmogorov.py).
    expectClose(ksAsymptoticPValue(0.1, 200, 200), 0.26999967167735456, 1e-14);
    // en = 300 * 600 / 900 = 200; D = 2 / sqrt(200) gives kolmogorov(2) = 6.7092525577969533e-4.
    expectClose(ksAsymptoticPValue(2 / Math.sqrt(200), 300, 600), 0.0006709252557796953, 1e-13);
    // en = 4 * 12 / 16 = 3; D = 0.5 / sqrt 3 gives kolmogorov(0.5) = 0.96394524366487511.
    expectClose(ksAsymptoticPValue(0.5 / Math.sqrt(3), 4, 12), 0.9639452436648751, 1e-14);
  });

  it("is never below scipy's asymptotic value, kstwo.sf(D, round(en)), when en is small", () => {
    // nA = 2, nB = 5: en = 10/7 rounds to 1; scipy ks_2samp(method="asymp") gives
    // kstwo.sf(0.6, 1) = 0.8, and the limit at en alone gave 0.683 (kstwobign.sf(0.717)).
    // At n = 1 the limit is kstwobign.sf(0.6) = 0.8642827790506042.
    expectClose(ksAsymptoticPValue(0.6, 2, 5), 0.8642827790506042, 1e-14);
    expect(ksAsymptoticPValue(0.6, 2, 5)).toBeGreaterThanOrEqual(0.8);
    // nA = 3, nB = 6: en = 2; kstwo.sf(0.6, 2) = 0.32, the limit kstwobign.sf(0.6 sqrt 2).
    expectClose(ksAsymptoticPValue(0.6, 3, 6), 0.46755799912056456, 1e-13);
  });

  it("reports the p-value alongside D", () => {
    const t = ksFromSamples([1, 2, 3], [1.5, 2.5, 3.5, 4.5]);
    expectClose(t.pValue, kolmogorovSf(Math.sqrt(12 / 7) * 0.5), 1e-15);
    expect(() => ksFromSamples([], [1])).toThrow(RangeError);
    expect(() => ksAsymptoticPValue(0.1, 0, 5)).toThrow(RangeError);
  });
});
