// Tests for the window summary the API serves from a (merged) bucket.
import { describe, expect, it } from "vitest";
import { emptyBucket } from "../../src/window/bucket";
import { summarizeBucket } from "../../src/window/summary";
import { bucketOf, feedback, interaction, typicalTraffic } from "../sample-events";

describe("window summary", () => {
  it("reports rates, thumbs, quantiles, coarse histograms and the categorical mix as plain JSON", () => {
    const events = typicalTraffic(1000, 1);
    const b = bucketOf([...events, feedback({ feedback: -1 })]);
    const s = summarizeBucket(b);
    const n = (status: string) => events.filter((e) => e.status === status).length;
    expect(s.count).toBe(1000);
    expect(s.feedback_events).toBe(1);
    expect(s.rates.error).toBe(n("error") / 1000);
    expect(s.status.ok).toBe(n("ok"));
    expect(s.rates.thumbs_down).toBe(
      b.counters.feedback_down / (b.counters.feedback_up + b.counters.feedback_down),
    );
    const latency = s.distributions.latency_ms;
    const sorted = events.map((e) => e.latency_ms ?? 0).sort((x, y) => x - y);
    expect(Math.abs((latency.p95 ?? 0) - (sorted[949] ?? 0))).toBeLessThanOrEqual(
      0.01 * (sorted[949] ?? 0),
    );
    expect(latency.histogram.length).toBeLessThanOrEqual(20);
    expect(latency.histogram.reduce((x, bin) => x + bin.count, 0)).toBe(1000);
    expect(latency.histogram[0]?.lower).toBe(latency.min);
    expect(latency.histogram.at(-1)?.upper).toBe(latency.max);
    expect(Object.keys(s.distributions.evals).sort()).toEqual(["faithfulness", "relevance"]);
    expect(s.categories.model["gpt-4o-mini"]).toBeGreaterThan(700);
    expect(Object.keys(s.categories.tags.locale ?? {})).toHaveLength(5);
    expect(s.cost.per_request_usd).toBeCloseTo(s.cost.total_usd / 1000, 12);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it("reports null rates and quantiles for an empty window", () => {
    const s = summarizeBucket(emptyBucket());
    expect(s.rates.error).toBeNull();
    expect(s.rates.thumbs_down).toBeNull();
    expect(s.distributions.latency_ms).toMatchObject({
      count: 0,
      p50: null,
      mean: null,
      histogram: [],
    });
    expect(s.cost.per_request_usd).toBeNull();
    expect(s.cost.unknown_events).toBe(0);
  });

  it("counts interactions whose cost is unknown instead of pricing them at zero", () => {
    const b = bucketOf([interaction({ cost_usd: 0.02 }), interaction({ model: "home-grown-llm" })]);
    const s = summarizeBucket(b);
    expect(s.cost).toEqual({
      total_usd: 0.02,
      per_request_usd: 0.02,
      unknown_events: 1,
      by_model: {}, // the priced interaction named no model
    });
  });
});
