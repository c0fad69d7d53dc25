// Tests for time buckets: counting events, the caps, and merging.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedEval } from "../../src/ingest/normalized";
import {
  addEvent,
  type Bucket,
  COUNTERS,
  DISTRIBUTIONS,
  emptyBucket,
  mergeBuckets,
} from "../../src/window/bucket";
import { OTHER } from "../../src/window/capped-counts";
import { sketchQuantile } from "../../src/window/sketch";
import { bucketOf, eventArb, feedback, interaction, ownKeys } from "../sample-events";

const FLOAT_COUNTERS = new Set(["cost_usd", "rating_sum"]);
const close = (a: number, b: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a)));

/** Equal up to the rounding of float sums taken in a different order. */
function expectSameBucket(a: Bucket, b: Bucket): void {
  for (const k of COUNTERS) {
    if (FLOAT_COUNTERS.has(k)) close(a.counters[k], b.counters[k]);
    else expect(a.counters[k], k).toBe(b.counters[k]);
  }
  for (const d of DISTRIBUTIONS) {
    expect({ ...a.dists[d], sum: 0 }).toEqual({ ...b.dists[d], sum: 0 });
    close(a.dists[d].sum, b.dists[d].sum);
  }
  expect(Object.keys(a.evals).sort()).toEqual(Object.keys(b.evals).sort());
  expect(a.dims).toEqual(b.dims);
  expect(a.tags).toEqual(b.tags);
}

describe("adding events to a bucket", () => {
  it("counts interactions by status, escalation, unanswered, tokens and cost", () => {
    const b = bucketOf([
      interaction({ input_tokens: 100, output_tokens: 20, cost_usd: 0.5, escalated: true }),
      interaction({ status: "error", error_type: "rate_limit", unanswered: true }),
      interaction({ status: "timeout", input_tokens: 50, cost_usd: 0.25 }),
      interaction({ status: "refused" }),
      interaction({ status: "filtered", escalated: false }),
    ]);
    expect(b.counters).toMatchObject({
      count: 5,
      ok: 1,
      error: 1,
      timeout: 1,
      refused: 1,
      filtered: 1,
    });
    expect(b.counters).toMatchObject({
      escalated: 1,
      unanswered: 1,
      input_tokens: 150,
      output_tokens: 20,
    });
    expect(b.counters).toMatchObject({ cost_usd: 0.75, cost_events: 2 });
    expect(b.dims.error_type).toEqual({ rate_limit: 1 });
  });

  it("counts thumbs and ratings from both interactions and feedback events", () => {
    const b = bucketOf([
      interaction({ feedback: 1, rating: 0.75 }),
      interaction({ feedback: 0 }),
      feedback({ feedback: -1, rating: 0.25 }),
      feedback({ feedback: 1 }),
    ]);
    expect(b.counters).toMatchObject({
      count: 2,
      feedback_up: 2,
      feedback_down: 1,
      feedback_events: 2,
    });
    expect(b.counters).toMatchObject({ rating_count: 2, rating_sum: 1 });
  });

  it("adds an eval event's scores to the eval sketches and counts no interaction", () => {
    const late: NormalizedEval = {
      type: "eval",
      id: "ev_a_relevance",
      ref: "a",
      deployment: "support-bot",
      environment: "production",
      ts: 0,
      evals: { relevance: 0.25 },
    };
    const b = bucketOf([interaction({ evals: { relevance: 0.75 } }), late]);
    expect(b.counters).toMatchObject({ count: 1, feedback_events: 0 });
    expect(b.evals.relevance?.count).toBe(2);
    expect(b.evals.relevance && sketchQuantile(b.evals.relevance, 0)).toBeCloseTo(0.25, 2);
  });

  it("leaves distributions and categories alone for feedback events", () => {
    const b = bucketOf([feedback({ feedback: -1 })]);
    expect(b.counters.count).toBe(0);
    for (const d of DISTRIBUTIONS) expect(b.dists[d].count).toBe(0);
    expect(Object.keys(b.dims.model)).toEqual([]);
  });

  it("feeds each present measurement into its sketch and skips absent ones", () => {
    const b = bucketOf([
      interaction({ latency_ms: 1200, ttft_ms: 300, output_tokens: 80, output_chars: 400 }),
      interaction({
        latency_ms: 800,
        retrieval: { top_score: 0.9 },
        evals: { faithfulness: -0.5 },
      }),
      interaction({ retrieval: { hits: 3 } }),
    ]);
    expect(b.dists.latency_ms.count).toBe(2);
    expect(b.dists.ttft_ms.count).toBe(1);
    expect(b.dists.output_tokens.count).toBe(1);
    expect(b.dists.output_chars.count).toBe(1);
    expect(b.dists.retrieval_top_score.count).toBe(1);
    expect(sketchQuantile(b.dists.latency_ms, 1)).toBe(1200);
    expect(b.evals.faithfulness?.min).toBe(-0.5);
  });

  it("keeps 20 values per dimension and counts later new values under other", () => {
    const b = bucketOf(Array.from({ length: 25 }, (_, i) => interaction({ model: `m${i}` })));
    addEvent(b, interaction({ model: "m0" }));
    expect(Object.keys(b.dims.model)).toHaveLength(21);
    expect(b.dims.model[OTHER]).toBe(5);
    expect(b.dims.model.m0).toBe(2);
  });

  it("keeps 16 tag keys and 16 eval names, counting what does not fit as dropped", () => {
    const names = Array.from({ length: 18 }, (_, i) => `k${i}`);
    const tags = Object.fromEntries(names.map((k) => [k, "v"]));
    const evals = Object.fromEntries(names.map((k) => [k, 1]));
    const b = bucketOf([interaction({ tags, evals }), interaction({ tags, evals })]);
    expect(Object.keys(b.tags)).toHaveLength(16);
    expect(Object.keys(b.evals)).toHaveLength(16);
    expect(b.counters.tag_keys_dropped).toBe(4);
    expect(b.counters.evals_dropped).toBe(4);
  });

  it("treats __proto__ and constructor as ordinary keys, also in structured clones", () => {
    const tags = ownKeys('{"__proto__": "constructor", "constructor": "__proto__"}');
    const fresh = bucketOf([interaction({ tags, model: "constructor" })]);
    const cloned = structuredClone(fresh);
    addEvent(cloned, interaction({ tags, model: "constructor" }));
    mergeBuckets(cloned, fresh);
    expect(Object.keys(cloned.tags).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.entries(cloned.tags).map(([, counts]) => Object.entries(counts))).toEqual([
      [["constructor", 3]],
      [["__proto__", 3]],
    ]);
    expect(Object.entries(cloned.dims.model)).toEqual([["constructor", 3]]);
  });
});

describe("merging buckets", () => {
  it("gives the same counts however the events are grouped into merged buckets", () => {
    const parts = fc.array(fc.array(eventArb, { maxLength: 15 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(parts, ([a = [], b = [], c = []]) => {
        const left = mergeBuckets(mergeBuckets(bucketOf(a), bucketOf(b)), bucketOf(c));
        const right = mergeBuckets(bucketOf(a), mergeBuckets(bucketOf(b), bucketOf(c)));
        const whole = bucketOf([...a, ...b, ...c]);
        expectSameBucket(left, right);
        expectSameBucket(left, whole);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the largest values when a merge exceeds the cap and folds the rest into other", () => {
    const into = bucketOf(Array.from({ length: 20 }, (_, i) => interaction({ model: `m${i}` })));
    addEvent(into, interaction({ model: "m3" }));
    const from = bucketOf([...Array(3)].map(() => interaction({ model: "new" })));
    addEvent(from, interaction({ model: "other-new" }));
    mergeBuckets(into, from);
    expect(Object.keys(into.dims.model)).toHaveLength(21);
    expect(into.dims.model).toMatchObject({ new: 3, m3: 2, [OTHER]: 2 });
    // Ties are broken by name, so of the values seen once the last two by name go.
    expect(into.dims.model.m9).toBeUndefined();
    expect(into.dims.model["other-new"]).toBeUndefined();
    expect(Object.values(into.dims.model).reduce((x, y) => x + y, 0)).toBe(25);
  });

  it("keeps the 16 busiest eval names and tag keys, counting the dropped observations", () => {
    const bucketWith = (names: string[], times: number) =>
      bucketOf(
        Array.from({ length: times }, () =>
          interaction({
            evals: Object.fromEntries(names.map((n) => [n, 0.5])),
            tags: Object.fromEntries(names.map((n) => [n, "v"])),
          }),
        ),
      );
    const quiet = Array.from({ length: 16 }, (_, i) => `q${i}`);
    const into = bucketWith(quiet, 1);
    mergeBuckets(into, bucketWith(["busy"], 5));
    expect(Object.keys(into.evals)).toContain("busy");
    expect(Object.keys(into.evals)).toHaveLength(16);
    expect(Object.keys(into.tags)).toHaveLength(16);
    expect(into.counters.evals_dropped).toBe(1);
    expect(into.counters.tag_keys_dropped).toBe(1);
  });

  it("does not share sketches or counts with the bucket merged in", () => {
    const from = bucketOf([interaction({ latency_ms: 5, tags: { plan: "pro" }, evals: { e: 1 } })]);
    const into = mergeBuckets(emptyBucket(), from);
    addEvent(into, interaction({ latency_ms: 7, tags: { plan: "pro" }, evals: { e: 1 } }));
    expect(from.dists.latency_ms.count).toBe(1);
    expect(from.tags.plan?.pro).toBe(1);
    expect(from.evals.e?.count).toBe(1);
  });
});
