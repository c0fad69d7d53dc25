// The 64-register HyperLogLog against exact distinct counts.
import { describe, expect, it } from "vitest";
import {
  addDistinct,
  decodeDistinct,
  emptyDistinct,
  encodeDistinct,
  estimateDistinct,
  mergeDistinct,
  RELATIVE_ERROR,
} from "../../src/window/distinct-count";

function sketchOf(from: number, to: number, salt = "u") {
  const c = emptyDistinct();
  for (let i = from; i < to; i++) addDistinct(c, `${salt}${i}`);
  return c;
}

describe("distinct count (HyperLogLog, 64 registers)", () => {
  it("counts nothing as 0 and one user added many times as 1", () => {
    expect(estimateDistinct(emptyDistinct())).toBe(0);
    const c = emptyDistinct();
    for (let i = 0; i < 100; i++) addDistinct(c, "same-user");
    expect(estimateDistinct(c)).toBe(1);
  });

  it("keeps a root-mean-square relative error under 15 % from 5 to 160 users (linear counting)", () => {
    for (const n of [5, 20, 50, 100, 160]) {
      const errors: number[] = [];
      for (let salt = 0; salt < 200; salt++) {
        errors.push(estimateDistinct(sketchOf(0, n, `s${salt}-`)) / n - 1);
      }
      const rms = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length);
      expect(rms).toBeLessThan(0.15);
      for (const e of errors) expect(Math.abs(e)).toBeLessThan(0.6);
    }
  });

  it("has a relative standard error near the stated 13 % from 1,000 to 100,000 users", () => {
    for (const n of [1_000, 10_000, 100_000]) {
      const errors: number[] = [];
      for (let salt = 0; salt < (n === 100_000 ? 20 : 60); salt++) {
        errors.push(estimateDistinct(sketchOf(0, n, `r${salt}-`)) / n - 1);
      }
      const rms = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length);
      expect(RELATIVE_ERROR).toBeCloseTo(0.13, 2);
      expect(rms).toBeLessThan(1.5 * RELATIVE_ERROR);
      for (const e of errors) expect(Math.abs(e)).toBeLessThan(4 * RELATIVE_ERROR);
    }
  });

  it("merges to exactly the sketch of the union, overlapping users counted once", () => {
    const a = sketchOf(0, 3_000);
    const b = sketchOf(2_000, 5_000);
    expect(mergeDistinct(Uint8Array.from(a), b)).toEqual(sketchOf(0, 5_000));
    expect(estimateDistinct(mergeDistinct(a, b))).toBe(estimateDistinct(sketchOf(0, 5_000)));
  });

  it("round-trips through its 64-character text and rejects anything else", () => {
    const c = sketchOf(0, 10_000);
    const text = encodeDistinct(c);
    expect(text).toHaveLength(64);
    expect(decodeDistinct(text)).toEqual(c);
    expect(() => decodeDistinct("abc")).toThrow(SyntaxError);
    expect(() => decodeDistinct("z".repeat(64))).toThrow(SyntaxError);
  });
});
