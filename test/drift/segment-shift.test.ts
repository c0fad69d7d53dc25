// The statistics behind distribution and mix attribution, on hand-computed values.
import { describe, expect, it } from "vitest";
import { categoryShift, PRIOR_VALUES, segmentShift } from "../../src/drift";

describe("segment shift", () => {
  it("gives each segment its part of the total shift and the shrunk baseline mean", () => {
    const seg = (mean: number, baselineMean: number) => ({
      n: 100,
      mean,
      variance: 0.25,
      baselineN: 1_000,
      baselineMean,
      baselineVariance: 0.25,
    });
    const [a, b] = segmentShift([seg(7.5, 6.5), seg(6.5, 6.5)], true);
    // Overall baseline mean 6.5: a's expected (1000·6.5 + 10·6.5) / 1010 = 6.5.
    expect(a?.expectedMean).toBeCloseTo(6.5, 10);
    expect(a?.excess).toBeCloseTo(100, 8);
    expect(a?.share).toBeCloseTo(1, 8);
    expect(b?.share).toBeCloseTo(0, 8);
    // d = 1, se = √(0.25/100 + 0.25/1010 + 0.25/100 + 0.25/1010) ≈ 0.0742: z ≈ 13.5.
    expect(a?.pValue).toBeLessThan(1e-30);
    expect(b?.pValue).toBeGreaterThan(0.99);
  });

  it("holds a segment without baseline to the overall baseline mean", () => {
    const [, fresh] = segmentShift(
      [
        { n: 50, mean: 6, variance: 0.2, baselineN: 500, baselineMean: 6, baselineVariance: 0.2 },
        { n: 50, mean: 6, variance: 0.2, baselineN: 0, baselineMean: 0, baselineVariance: 0 },
      ],
      true,
    );
    expect(fresh?.expectedMean).toBeCloseTo(6, 10);
    expect(fresh?.pValue).toBeCloseTo(0.5, 1);
    expect(PRIOR_VALUES).toBe(10);
  });
});

describe("category shift", () => {
  it("matches a hand-computed two-proportion z-test and shares of the displacement", () => {
    // 30 of 100 now against 10 of 100 before: pooled 0.2, se = √(0.2·0.8·0.02) = 0.05657, z = 3.536.
    const [moved, rest] = categoryShift([30, 70], [10, 90]);
    expect(moved?.expected).toBeCloseTo(10, 10);
    expect(moved?.excess).toBeCloseTo(20, 10);
    expect(moved?.share).toBeCloseTo(0.5, 10);
    expect(rest?.excess).toBeCloseTo(-20, 10);
    expect(moved?.pValue).toBeCloseTo(4.07e-4, 5);
  });
});
