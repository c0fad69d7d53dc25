// An arm's minute as verdict counts: rate signals from counters, exceedance signals
// against thresholds fixed from the incumbent's sketches.
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { armMinutes } from "../../src/window/arm-bucket";
import { analysisSignals, armCounts, exceedanceThresholds } from "../../src/window/arm-counts";

const call = (i: number, extra: Partial<NormalizedInteraction>): NormalizedInteraction => ({
  type: "interaction",
  id: `e${i}`,
  deployment: "d",
  environment: "production",
  ts: 0,
  status: "ok",
  ...extra,
});

const armOf = (events: NormalizedInteraction[]) => {
  const [arm] = armMinutes(events).values();
  const bucket = arm?.minutes.get(0);
  if (!bucket) throw new Error("no bucket");
  return bucket;
};

describe("arm counts", () => {
  // Incumbent latencies 1..100 ms: its p90 is 90 (within the sketch's 1 %).
  const incumbent = armOf(
    Array.from({ length: 100 }, (_, i) =>
      call(i, { latency_ms: i + 1, cost_usd: 0.001 * (i + 1), evals: { helpful: (i + 1) / 100 } }),
    ),
  );

  it("fixes thresholds at the incumbent's p90 latency and median cost and eval score", () => {
    const t = exceedanceThresholds(incumbent);
    expect(t.latency_p90_exceedance).toBeGreaterThan(89 * 0.99);
    expect(t.latency_p90_exceedance).toBeLessThan(91 * 1.01);
    expect(t.cost_p50_exceedance).toBeCloseTo(0.05, 2);
    expect(t["eval:helpful"]).toBeCloseTo(0.5, 1);
    expect(t).not.toHaveProperty("ttft_p90_exceedance"); // no TTFT seen: not compared
    expect(analysisSignals(t)).toContain("error_rate");
    expect(analysisSignals(t)).toContain("eval:helpful");
  });

  it("counts the candidate's slower requests, errors and thumbs-down against those thresholds", () => {
    const t = exceedanceThresholds(incumbent);
    const candidate = armOf(
      Array.from({ length: 10 }, (_, i) =>
        call(i, {
          latency_ms: i < 4 ? 200 : 10,
          status: i < 3 ? "error" : "ok",
          feedback: i < 2 ? -1 : i < 6 ? 1 : undefined,
        }),
      ),
    );
    const c = armCounts(candidate, t);
    expect(c.latency_p90_exceedance).toEqual({ x: 4, n: 10 });
    expect(c.error_rate).toEqual({ x: 3, n: 10 });
    expect(c.thumbs_down_rate).toEqual({ x: 2, n: 6 });
    const own = armCounts(incumbent, t).latency_p90_exceedance;
    expect(own?.n).toBe(100);
    expect(own?.x).toBeGreaterThanOrEqual(9);
    expect(own?.x).toBeLessThanOrEqual(11);
  });
});
