// The baseline and threshold drawn on an incident's chart, in the chart's unit.
import { describe, expect, it } from "vitest";
import { chartLevels } from "../../src/status/dashboard/chart-levels";

const fmt = (v: number) => v.toFixed(3);
const check = { value: 0.2, baselineValue: 0.05, statistic: 6, threshold: 3 };

describe("chart levels", () => {
  it("puts a z-test's threshold where z reaches it at the check's sample sizes", () => {
    expect(chartLevels({ ...check, test: "z_test" }, fmt)).toEqual([
      { v: 0.05, kind: "baseline", label: "baseline 0.050" },
      { v: 0.125, kind: "threshold", label: "threshold 0.125" },
    ]);
  });

  it("multiplies the baseline by a ratio test's threshold, or divides for a fall", () => {
    const up = {
      test: "quantile_ratio",
      value: 2100,
      baselineValue: 900,
      statistic: 2.3,
      threshold: 1.5,
    };
    expect(chartLevels(up, fmt).find((l) => l.kind === "threshold")?.v).toBe(1350);
    const down = { ...up, value: 400 };
    expect(chartLevels(down, fmt).find((l) => l.kind === "threshold")?.v).toBe(600);
  });

  it("draws a static rule's threshold as it is, and a traffic drop below the baseline", () => {
    expect(chartLevels({ ...check, test: "static", threshold: 0.1 }, fmt).at(-1)?.v).toBe(0.1);
    const drop = {
      test: "traffic_drop",
      value: 10,
      baselineValue: 100,
      statistic: 0.9,
      threshold: 0.8,
    };
    expect(chartLevels(drop, fmt).at(-1)?.v).toBeCloseTo(20);
  });

  it("draws only the baseline for tests whose statistic is not a value of the metric", () => {
    expect(chartLevels({ ...check, test: "psi" }, fmt).map((l) => l.kind)).toEqual(["baseline"]);
    expect(chartLevels({ ...check, test: "z_test", statistic: null }, fmt)).toHaveLength(1);
  });
});
