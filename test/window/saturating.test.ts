// Sums in sketches and bucket counters saturate at the largest double instead of
// overflowing to Infinity, so what is stored always decodes (issue 9, defect 1).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addEvent,
  decodeBucket,
  emptyBucket,
  encodeBucket,
  mergeBuckets,
} from "../../src/window/bucket";
import { saturatingAdd } from "../../src/window/saturating";
import {
  createSketch,
  decodeSketch,
  encodeSketch,
  sketchAdd,
  sketchMerge,
} from "../../src/window/sketch";
import { interaction } from "../sample-events";

const MAX = Number.MAX_VALUE;

describe("saturatingAdd", () => {
  it.each([
    [1, 2, 3],
    [1e308, 1e308, MAX],
    [-1e308, -1e308, -MAX],
    [MAX, -MAX, 0],
    [5, Number.NaN, 5],
    [Number.NaN, Number.NaN, 0],
  ])("%d + %d = %d", (a, b, sum) => {
    expect(saturatingAdd(a, b)).toBe(sum);
  });

  it("equals + whenever the exact sum is finite, and is finite for any finite addends", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const s = saturatingAdd(a, b);
          expect(Number.isFinite(s)).toBe(true);
          if (Number.isFinite(a + b)) expect(s).toBe(a + b);
        },
      ),
    );
  });
});

describe("sketches and buckets under huge values", () => {
  it("a sketch fed 1e308 twice keeps a finite sum and round-trips", () => {
    const s = sketchAdd(sketchAdd(createSketch(), 1e308), 1e308);
    expect(s.sum).toBe(MAX);
    expect(decodeSketch(encodeSketch(s))).toEqual(s);
    const merged = sketchMerge(sketchMerge(createSketch(), s), s);
    expect(merged.sum).toBe(MAX);
    expect(decodeSketch(encodeSketch(merged)).count).toBe(4);
  });

  it("a bucket whose cost and token counters would overflow round-trips with them saturated", () => {
    const b = emptyBucket();
    addEvent(b, interaction({ cost_usd: 1e308, latency_ms: 1e308 }));
    addEvent(b, interaction({ cost_usd: 1e308, latency_ms: 1e308 }));
    mergeBuckets(b, b);
    expect(b.counters.cost_usd).toBe(MAX);
    const back = decodeBucket(encodeBucket(b));
    expect(back.counters.cost_usd).toBe(MAX);
    expect(back.dists.latency_ms.sum).toBe(MAX);
  });

  it("refuses to decode a null counter (JSON's Infinity) instead of reading it as 0", () => {
    const code = JSON.parse(encodeBucket(emptyBucket())) as unknown[];
    code[1] = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null];
    expect(() => decodeBucket(JSON.stringify(code))).toThrow(/counter/);
  });

  it("refuses to encode a non-finite counter", () => {
    const b = emptyBucket();
    b.counters.cost_usd = Number.POSITIVE_INFINITY;
    expect(() => encodeBucket(b)).toThrow(/cost_usd/);
  });
});
