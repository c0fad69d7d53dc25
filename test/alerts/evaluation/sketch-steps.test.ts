// The step-CDF view of a sketch agrees with the sketch's own quantiles and CDF, and the
// merged-walk KS equals drift's ksFromCdfs evaluated at every bin value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ksOf } from "../../../src/alerts/evaluation/distribution-pair";
import {
  binCounts,
  countAtOrBelow,
  quantileEdges,
  stepQuantile,
  stepsOf,
} from "../../../src/alerts/evaluation/sketch-steps";
import { ksFromCdfs } from "../../../src/drift";
import {
  createSketch,
  type Sketch,
  sketchAdd,
  sketchCdf,
  sketchQuantile,
} from "../../../src/window/sketch";

const values = fc.array(
  fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 50 })),
  {
    minLength: 1,
    maxLength: 300,
  },
);

const sketchOf = (xs: readonly number[]): Sketch => {
  const s = createSketch();
  for (const x of xs) sketchAdd(s, x);
  return s;
};

describe("sketch steps", () => {
  it("report the sketch's quantiles and CDF counts", () => {
    fc.assert(
      fc.property(values, fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
        const s = sketchOf(xs);
        const steps = stepsOf(s);
        expect(stepQuantile(steps, q)).toBe(sketchQuantile(s, q));
        for (const x of [...xs.slice(0, 20), -1e9, 1e9]) {
          expect(countAtOrBelow(steps, x) / s.count).toBeCloseTo(sketchCdf(s, x) ?? Number.NaN, 12);
        }
      }),
    );
  });

  it("cut bins that hold every value exactly once", () => {
    fc.assert(
      fc.property(values, values, fc.integer({ min: 2, max: 20 }), (a, b, k) => {
        const base = stepsOf(sketchOf(a));
        const cur = stepsOf(sketchOf(b));
        const edges = quantileEdges(base, k);
        expect(edges.length).toBeGreaterThanOrEqual(1);
        expect(edges.length).toBeLessThan(k);
        expect([...edges].sort((x, y) => x - y)).toEqual(edges);
        const sum = (xs: number[]) => xs.reduce((p, q) => p + q, 0);
        expect(sum(binCounts(base, edges))).toBe(a.length);
        expect(sum(binCounts(cur, edges))).toBe(b.length);
      }),
    );
  });

  it("give the same KS statistic as ksFromCdfs over every bin value", () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const sa = sketchOf(a);
        const sb = sketchOf(b);
        const pair = { base: stepsOf(sa), cur: stepsOf(sb) };
        const cdf = (s: Sketch) => (x: number) => sketchCdf(s, x) ?? 0;
        const points = [...pair.base.values, ...pair.cur.values];
        const reference = ksFromCdfs(points, cdf(sa), cdf(sb), sa.count, sb.count);
        const fast = ksOf(pair);
        expect(fast.statistic).toBeCloseTo(reference.statistic, 12);
        expect(fast.pValue).toBeCloseTo(reference.pValue, 12);
      }),
    );
  });

  it("notice when a cached sketch has grown", () => {
    const s = sketchOf([1, 2, 3]);
    expect(stepsOf(s).total).toBe(3);
    sketchAdd(s, 4);
    expect(stepsOf(s).total).toBe(4);
  });
});
