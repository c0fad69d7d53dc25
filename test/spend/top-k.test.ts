// The weighted Misra–Gries top-k sketch: its stated bound (true − decrement ≤ estimate ≤
// true, decrement ≤ total / (k + 1)) on adversarial and Zipf streams, after merges too.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createTopK,
  decodeTopK,
  encodeTopK,
  topKAdd,
  topKMerge,
  topKTop,
} from "../../src/spend/top-k";

/** Checks the bound for every key of `exact` against the sketch. */
function expectBound(exact: Map<string, number>, s: ReturnType<typeof createTopK>) {
  const total = [...exact.values()].reduce((a, b) => a + b, 0);
  expect(s.total).toBeCloseTo(total, 6);
  expect(s.decrement).toBeLessThanOrEqual(total / (s.k + 1) + 1e-9);
  for (const [key, truth] of exact) {
    const estimate = s.entries[key]?.weight ?? 0;
    expect(estimate).toBeLessThanOrEqual(truth + 1e-9);
    expect(estimate).toBeGreaterThanOrEqual(truth - s.decrement - 1e-9);
  }
}

describe("top-k sketch", () => {
  it("keeps exact weights while it holds at most k keys", () => {
    const s = createTopK(3);
    topKAdd(s, "a", 2);
    topKAdd(s, "b", 1);
    topKAdd(s, "a", 0.5);
    expect(topKTop(s, 5)).toEqual([
      { key: "a", weight: 2.5, requests: 2 },
      { key: "b", weight: 1, requests: 1 },
    ]);
    expect(s.decrement).toBe(0);
  });

  it("a k + 1-th key subtracts the smallest counter from all: the known worked example", () => {
    const s = createTopK(2);
    topKAdd(s, "a", 5);
    topKAdd(s, "b", 3);
    topKAdd(s, "c", 1);
    expect(s.decrement).toBe(1);
    expect(topKTop(s, 3)).toEqual([
      { key: "a", weight: 4, requests: 1 },
      { key: "b", weight: 2, requests: 1 },
    ]);
  });

  it("ignores zero, negative and non-finite weights", () => {
    const s = createTopK(2);
    for (const w of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) topKAdd(s, "x", w);
    expect(s.total).toBe(0);
    expect(topKTop(s, 1)).toEqual([]);
  });

  it("holds its bound on any stream (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 30 }),
            fc.double({ min: 0.001, max: 100, noNaN: true }),
          ),
          { maxLength: 300 },
        ),
        (k, stream) => {
          const s = createTopK(k);
          const exact = new Map<string, number>();
          for (const [id, w] of stream) {
            topKAdd(s, `u${id}`, w);
            exact.set(`u${id}`, (exact.get(`u${id}`) ?? 0) + w);
          }
          expectBound(exact, s);
          expect(Object.keys(s.entries).length).toBeLessThanOrEqual(k);
        },
      ),
    );
  });

  it("merged sketches hold the bound for the union of their streams (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 20 }),
              fc.double({ min: 0.01, max: 10, noNaN: true }),
            ),
            { maxLength: 80 },
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (k, streams) => {
          const merged = createTopK(k);
          const exact = new Map<string, number>();
          for (const stream of streams) {
            const part = createTopK(k);
            for (const [id, w] of stream) {
              topKAdd(part, `u${id}`, w);
              exact.set(`u${id}`, (exact.get(`u${id}`) ?? 0) + w);
            }
            topKMerge(merged, decodeTopK(encodeTopK(part)));
          }
          expectBound(exact, merged);
        },
      ),
    );
  });

  it("finds every key heavier than total / (k + 1) in a Zipf stream", () => {
    const k = 50;
    const s = createTopK(k);
    const exact = new Map<string, number>();
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const users = 10_000;
    const weights = Array.from({ length: users }, (_, i) => 1 / (i + 1) ** 1.1);
    const sum = weights.reduce((a, b) => a + b, 0);
    const cdf: number[] = [];
    let acc = 0;
    for (const w of weights) {
      acc += w / sum;
      cdf.push(acc);
    }
    for (let i = 0; i < 50_000; i++) {
      const r = random();
      let lo = 0;
      let hi = users - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cdf[mid] ?? 1) < r) lo = mid + 1;
        else hi = mid;
      }
      const cost = 0.001 + random() * 0.01;
      topKAdd(s, `u${lo}`, cost);
      exact.set(`u${lo}`, (exact.get(`u${lo}`) ?? 0) + cost);
    }
    expectBound(exact, s);
    const heavy = [...exact].filter(([, w]) => w > s.total / (k + 1)).map(([key]) => key);
    expect(heavy.length).toBeGreaterThan(0);
    for (const key of heavy) expect(s.entries[key]).toBeDefined();
  });
});
