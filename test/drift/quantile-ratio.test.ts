// Current-to-baseline quantile ratios with guards for zero and missing baselines.
import { describe, expect, it } from "vitest";
import { quantileRatio, quantileRatios } from "../../src/drift";

describe("quantile ratios", () => {
  it("divides current by baseline", () => {
    expect(quantileRatio(300, 200)).toBe(1.5);
    expect(
      quantileRatios({ p50: 120, p95: 900, p99: 2000 }, { p50: 100, p95: 600, p99: 2000 }),
    ).toEqual({
      p50: 1.2,
      p95: 1.5,
      p99: 1,
    });
  });

  it("answers null when the ratio means nothing, and 1 for zero over zero", () => {
    expect(quantileRatio(5, 0)).toBeNull();
    expect(quantileRatio(0, 0)).toBe(1);
    expect(quantileRatio(undefined, 100)).toBeNull();
    expect(quantileRatio(100, null)).toBeNull();
    expect(quantileRatio(Number.NaN, 100)).toBeNull();
    expect(quantileRatio(-1, 100)).toBeNull();
    // Both sides finite, the ratio is not: 1e308 / 1e-10 overflows to Infinity.
    expect(quantileRatio(1e308, 1e-10)).toBeNull();
    expect(quantileRatios({ p95: 10 }, { p50: 4 })).toEqual({ p50: null, p95: null, p99: null });
  });
});
