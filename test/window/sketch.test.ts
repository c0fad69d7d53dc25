// Property and example tests for the quantile sketch: accuracy, bins, CDF, merging, bin bound.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createSketch,
  decodeSketch,
  encodeSketch,
  MAX_BINS,
  SKETCH_ALPHA,
  type Sketch,
  sketchAdd,
  sketchBins,
  sketchCdf,
  sketchMean,
  sketchMerge,
  sketchQuantile,
} from "../../src/window/sketch";
import { anyValue, DISTRIBUTION_NAMES, magnitude, sample, sketchOf } from "../sample-values";

const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
/** Floating-point slack on top of the 1 % guarantee (bin edges are computed with logs). */
const SLACK = 1e-9;

const exactQuantile = (sorted: readonly number[], q: number) =>
  sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;

/** Sums taken in different orders agree up to rounding, relative to the summed magnitudes. */
function expectSameSum(a: Sketch, b: Sketch, values: readonly number[]): void {
  const scale = values.reduce((acc, v) => acc + Math.abs(v), 1);
  expect(Math.abs(a.sum - b.sum)).toBeLessThanOrEqual(1e-9 * scale);
}

function expectWithinAlpha(estimate: number | undefined, exact: number): void {
  expect(estimate).toBeDefined();
  const error = Math.abs((estimate ?? Number.NaN) - exact);
  expect(error).toBeLessThanOrEqual((SKETCH_ALPHA + SLACK) * Math.abs(exact));
}

function expectQuantilesAccurate(s: Sketch, values: readonly number[], qs = QUANTILES): void {
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of qs) expectWithinAlpha(sketchQuantile(s, q), exactQuantile(sorted, q));
}

describe("sketch quantiles", () => {
  it("estimates the quantiles of 1..100 within 1 % of the value at rank floor(q(n-1))", () => {
    const s = sketchOf(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sketchQuantile(s, 0)).toBe(1);
    expect(sketchQuantile(s, 1)).toBe(100);
    expectWithinAlpha(sketchQuantile(s, 0.5), 50);
    expectWithinAlpha(sketchQuantile(s, 0.9), 90);
    expectWithinAlpha(sketchQuantile(s, 0.99), 99);
    expect(sketchMean(s)).toBe(50.5);
    expect(s).toMatchObject({ count: 100, sum: 5050, min: 1, max: 100 });
  });

  it("answers undefined for an empty sketch", () => {
    const s = createSketch();
    expect(sketchQuantile(s, 0.5)).toBeUndefined();
    expect(sketchCdf(s, 1)).toBeUndefined();
    expect(sketchMean(s)).toBeUndefined();
    expect(sketchBins(s)).toEqual([]);
  });

  it("returns a single value exactly, whatever the quantile", () => {
    const s = sketchOf([123.456, 123.456, 123.456]);
    for (const q of QUANTILES) expect(sketchQuantile(s, q)).toBe(123.456);
  });

  it("stays within 1 % on uniform, lognormal, Pareto, log-uniform, signed and integer data", () => {
    const draws = fc.record({
      name: fc.constantFrom(...DISTRIBUTION_NAMES),
      n: fc.integer({ min: 1, max: 3000 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(draws, ({ name, n, seed }) => {
        const values = sample(name, n, seed);
        expectQuantilesAccurate(sketchOf(values), values);
      }),
      { numRuns: 120 },
    );
  });

  it("stays within 1 % on arbitrary mixes of zeros, negatives and magnitudes from 1e-3 to 1e5", () => {
    fc.assert(
      fc.property(
        fc.array(anyValue, { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          expectQuantilesAccurate(sketchOf(values), values, [...QUANTILES, q]);
        },
      ),
    );
  });

  it("counts a weighted value as that many repeated values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyValue, fc.integer({ min: 1, max: 50 })), { maxLength: 50 }),
        (pairs) => {
          const weighted = createSketch();
          const repeated = createSketch();
          for (const [v, w] of pairs) {
            sketchAdd(weighted, v, w);
            for (let i = 0; i < w; i++) sketchAdd(repeated, v);
          }
          expect({ ...weighted, sum: 0 }).toEqual({ ...repeated, sum: 0 });
          expectSameSum(
            weighted,
            repeated,
            pairs.map(([v, w]) => v * w),
          );
        },
      ),
    );
  });

  it("rejects non-finite values and weights that are not positive integers", () => {
    const s = createSketch();
    expect(() => sketchAdd(s, Number.NaN)).toThrow(RangeError);
    expect(() => sketchAdd(s, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => sketchAdd(s, 1, 0)).toThrow(RangeError);
    expect(() => sketchAdd(s, 1, 1.5)).toThrow(RangeError);
    expect(() => sketchQuantile(sketchOf([1]), 1.5)).toThrow(RangeError);
    expect(s.count).toBe(0);
  });

  it("treats negative zero as zero", () => {
    const s = sketchOf([-0, -0]);
    expect(Object.is(sketchQuantile(s, 0.5), 0)).toBe(true);
    expect(decodeSketch(encodeSketch(s))).toEqual(s);
  });
});

describe("sketch bins and CDF", () => {
  it("lists non-empty bins in ascending order whose counts add up to the total", () => {
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 200 }), (values) => {
        const s = sketchOf(values);
        const bins = sketchBins(s);
        expect(bins.reduce((a, b) => a + b.count, 0)).toBe(s.count);
        expect(bins[0]?.lower).toBe(s.min);
        expect(bins.at(-1)?.upper).toBe(s.max);
        for (const [i, bin] of bins.entries()) {
          expect(bin.count).toBeGreaterThan(0);
          expect(bin.lower).toBeLessThanOrEqual(bin.value);
          expect(bin.value).toBeLessThanOrEqual(bin.upper);
          const next = bins[i + 1];
          if (next) expect(bin.value).toBeLessThan(next.value);
        }
      }),
    );
  });

  it("brackets the exact CDF between x/(1+alpha) and x/(1-alpha) for positive data", () => {
    const fraction = (values: readonly number[], x: number) =>
      values.filter((v) => v <= x).length / values.length;
    fc.assert(
      fc.property(fc.array(magnitude, { minLength: 1, maxLength: 300 }), magnitude, (values, x) => {
        const cdf = sketchCdf(sketchOf(values), x) ?? Number.NaN;
        expect(cdf).toBeGreaterThanOrEqual(fraction(values, x / (1 + SKETCH_ALPHA + SLACK)));
        expect(cdf).toBeLessThanOrEqual(fraction(values, x / (1 - SKETCH_ALPHA - SLACK)));
      }),
    );
  });

  it("is the step function the quantiles invert: cdf(quantile(q)) covers rank floor(q(n-1))", () => {
    fc.assert(
      fc.property(
        fc.array(anyValue, { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const s = sketchOf(values);
          const x = sketchQuantile(s, q) ?? Number.NaN;
          const rank = Math.floor(q * (s.count - 1));
          expect(sketchCdf(s, x)).toBeGreaterThanOrEqual((rank + 1) / s.count);
          expect(sketchCdf(s, s.min - 1)).toBe(0);
          expect(sketchCdf(s, s.max)).toBe(1);
        },
      ),
    );
  });
});

describe("sketch merging and the bin bound", () => {
  const splitValues = fc
    .array(fc.tuple(anyValue, fc.integer({ min: 0, max: 4 })), { maxLength: 400 })
    .map((pairs) => {
      const parts: number[][] = [[], [], [], [], []];
      for (const [v, part] of pairs) parts[part]?.push(v);
      return parts;
    });

  it("merging sketches of several parts equals one sketch of all values", () => {
    fc.assert(
      fc.property(splitValues, (parts) => {
        const merged = createSketch();
        for (const part of parts) sketchMerge(merged, sketchOf(part));
        const whole = sketchOf(parts.flat());
        expect({ ...merged, sum: 0 }).toEqual({ ...whole, sum: 0 });
        expectSameSum(merged, whole, parts.flat());
      }),
    );
  });

  it("keeps at most MAX_BINS bins per sign across 600 orders of magnitude, folding the lowest values", () => {
    const values = Array.from({ length: 4000 }, (_, i) => 10 ** (i * 0.15 - 300));
    const signed = [...values, ...values.map((v) => -v)];
    const s = sketchOf(signed);
    expect(s.pos.counts.length).toBeLessThanOrEqual(MAX_BINS);
    expect(s.neg.counts.length).toBeLessThanOrEqual(MAX_BINS);
    expect(s.count).toBe(signed.length);
    // Kept: the ~9 orders of magnitude next to zero (negatives) and at the top (positives).
    expectQuantilesAccurate(s, signed, [0.4995, 0.5, 0.995, 0.999, 1]);
  });

  it("folds the same way whether values arrive in one sketch or in merged parts", () => {
    const values = sample("log-uniform", 3000, 7).map((v) => v ** 3);
    const merged = createSketch();
    for (let i = 0; i < 3; i++) sketchMerge(merged, sketchOf(values.filter((_, j) => j % 3 === i)));
    const whole = sketchOf(values);
    expect(whole.pos.counts.length).toBe(MAX_BINS);
    expect({ ...merged, sum: 0 }).toEqual({ ...whole, sum: 0 });
    // The kept window covers the top ~9 of 24 orders of magnitude.
    expectQuantilesAccurate(whole, values, [0.7, 0.9, 0.95, 0.99]);
  });

  it("merging a sketch into itself doubles every count", () => {
    const s = sketchOf([1, 2, 3, -4, 0]);
    sketchMerge(s, s);
    expect(s.count).toBe(10);
    expect(sketchBins(s).map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
  });
});
