// The baseline's band in a chart's unit: a distribution's p5–p95, a rate's Wilson interval.
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/drift/wilson-interval";
import { bandLabel, baselineBand } from "../../src/status/dashboard/baseline-bands";
import { addEvent, emptyBucket } from "../../src/window/bucket";

function bucketOf(n: number) {
  let b = emptyBucket();
  for (let k = 1; k <= n; k++) {
    b = addEvent(b, {
      type: "interaction",
      id: `e${k}`,
      deployment: "bot",
      environment: "production",
      ts: 0,
      status: k % 10 === 0 ? "error" : "ok",
      latency_ms: k,
      feedback: k % 4 === 0 ? -1 : 1,
      evals: { tone: k / n },
    });
  }
  return b;
}

describe("baseline bands", () => {
  it("spans a distribution's 5th to 95th percentile, within the sketch's 1 %", () => {
    const band = baselineBand(bucketOf(1000), "latency_ms");
    expect(band?.kind).toBe("quantiles");
    expect(Math.abs((band?.lo ?? 0) / 50 - 1)).toBeLessThan(0.02);
    expect(Math.abs((band?.hi ?? 0) / 950 - 1)).toBeLessThan(0.02);
    expect(baselineBand(bucketOf(1000), "evals.tone")?.hi).toBeCloseTo(0.95, 1);
  });

  it("spans a rate's 95 % Wilson interval, thumbs out of thumbs given", () => {
    const b = bucketOf(400);
    const errors = wilsonInterval(40, 400);
    expect(baselineBand(b, "error_rate")).toEqual({
      lo: errors.lower,
      hi: errors.upper,
      kind: "interval",
    });
    expect(baselineBand(b, "thumbs_down_rate")?.lo).toBe(wilsonInterval(100, 400).lower);
  });

  it("has no band for counts, cost, or a metric the baseline never saw", () => {
    const b = bucketOf(10);
    expect(baselineBand(b, "traffic")).toBeNull();
    expect(baselineBand(b, "cost_per_request")).toBeNull();
    expect(baselineBand(b, "ttft_ms")).toBeNull();
    expect(baselineBand(emptyBucket(), "error_rate")).toBeNull();
  });

  it("names what the band is in its legend", () => {
    const fmt = (v: number) => v.toFixed(1);
    expect(bandLabel({ lo: 1, hi: 2, kind: "quantiles" }, fmt)).toBe("baseline p5–p95 1.0 – 2.0");
    expect(bandLabel({ lo: 1, hi: 2, kind: "interval" }, fmt)).toBe(
      "baseline 95 % interval 1.0 – 2.0",
    );
  });
});
