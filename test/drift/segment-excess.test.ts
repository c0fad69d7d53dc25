// The statistics behind rate and traffic attribution, on hand-computed values.
import { describe, expect, it } from "vitest";
import { normalSf, segmentExcess } from "../../src/drift";

describe("segment excess", () => {
  it("without a prior holds each segment to its baseline share: a log odds ratio of the mixes", () => {
    // 100 requests expected, half from each segment (500 of 1,000 in the baseline); one sent none.
    const seg = (observed: number) => ({
      observed,
      trials: 100,
      baselineObserved: 500,
      baselineTrials: 1_000,
    });
    const [gone, kept] = segmentExcess([seg(0), seg(50)], 0, false, 0);
    expect(gone?.expected).toBeCloseTo(50, 10);
    expect(gone?.excess).toBeCloseTo(-50, 10);
    expect(gone?.share).toBeCloseTo(1, 10);
    expect(kept?.share).toBeCloseTo(0, 10);
    // ln((0 + 0.5)/50) − ln((50 + 0.5)/50) over √(1/0.5 + 1/500 + 1/50.5 + 1/500): z ≈ 3.24.
    const z = (Math.log(0.01) - Math.log(1.01)) / Math.sqrt(2 + 0.002 + 1 / 50.5 + 0.002);
    expect(gone?.pValue).toBeCloseTo(normalSf(-z), 12);
    expect(gone?.pValue).toBeLessThan(1e-3);
    expect(kept?.pValue).toBeGreaterThan(0.99);
  });

  it("without a prior gives a segment with no baseline nothing to expect and no test", () => {
    const [fresh] = segmentExcess(
      [
        { observed: 10, trials: 100, baselineObserved: 0, baselineTrials: 1_000 },
        { observed: 40, trials: 100, baselineObserved: 1_000, baselineTrials: 1_000 },
      ],
      0,
      false,
      0,
    );
    expect(fresh?.expected).toBe(0);
    expect(fresh?.pValue).toBe(1);
  });
});
