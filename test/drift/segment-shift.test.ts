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

  it("relative: a rise by the same factor everywhere names none, though the dearest adds most", () => {
    // Means 1,000 and 4,000 (micro-USD), both doubled: the difference names the dear one.
    const seg = (baselineMean: number, factor: number) => ({
      n: 500,
      mean: baselineMean * factor,
      variance: (0.3 * baselineMean * factor) ** 2,
      baselineN: 5_000,
      baselineMean,
      baselineVariance: (0.3 * baselineMean) ** 2,
    });
    const doubled = [seg(1_000, 2), seg(4_000, 2)];
    const [cheap, dear] = segmentShift(doubled, true, true);
    expect(dear?.share).toBeCloseTo(0.8, 2); // 4,000 of the 5,000 extra per request pair
    expect(cheap?.pValue).toBeGreaterThan(0.01);
    expect(dear?.pValue).toBeGreaterThan(0.01);
    expect(segmentShift(doubled, true)[1]?.pValue).toBeLessThan(1e-10);
    // The cheap one tripled while the dear one stayed: the cheap one stands out.
    const [tripled] = segmentShift([seg(1_000, 3), seg(4_000, 1)], true, true);
    expect(tripled?.pValue).toBeLessThan(1e-10);
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
