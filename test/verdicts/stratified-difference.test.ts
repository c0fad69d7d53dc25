// The minute-stratified difference of rates: hand-computed values, and a shared shock that
// moves the pooled difference but not the stratified one.
import { describe, expect, it } from "vitest";
import { addMinute, emptyDifference, estimate } from "../../src/verdicts";
import { expectClose } from "../drift/close";

describe("minute-stratified rate difference", () => {
  it("weights each minute by n_A n_B / (n_A + n_B) and shrinks rates toward 1/2 in the variance", () => {
    // Minute 1: A 2/80, B 3/20 (w = 16); minute 2: A 1/50, B 1/50 (w = 25).
    let s = addMinute(emptyDifference(), { x: 2, n: 80 }, { x: 3, n: 20 });
    s = addMinute(s, { x: 1, n: 50 }, { x: 1, n: 50 });
    const e = estimate(s);
    expect(e).not.toBeNull();
    if (!e) return;
    expectClose(e.difference, (16 * (3 / 20 - 2 / 80) + 25 * 0) / 41, 1e-14);
    expectClose(e.incumbentRate, 3 / 130, 1e-14);
    expectClose(e.candidateRate, 4 / 70, 1e-14);
    const pa = 4 / 132;
    const pb = 5 / 72;
    const qa = 16 ** 2 / 80 + 25 ** 2 / 50;
    const qb = 16 ** 2 / 20 + 25 ** 2 / 50;
    expectClose(e.variance, (pa * (1 - pa) * qa + pb * (1 - pb) * qb) / 41 ** 2, 1e-14);
  });

  it("ignores a minute that one arm missed", () => {
    const s = addMinute(emptyDifference(), { x: 3, n: 10 }, { x: 0, n: 0 });
    expect(s).toEqual(emptyDifference());
    expect(estimate(s)).toBeNull();
  });

  it("cancels a shock that hits both arms while the candidate's share changes", () => {
    // Equal rates in every minute: 1 % normally, 40 % during the outage, which happens while
    // the candidate's share is 50 % (before it, 5 %). Pooled rates differ; stratified do not.
    let s = addMinute(emptyDifference(), { x: 19, n: 1900 }, { x: 1, n: 100 });
    s = addMinute(s, { x: 400, n: 1000 }, { x: 400, n: 1000 });
    const e = estimate(s);
    if (!e) throw new Error("no estimate");
    expect(e.difference).toBeCloseTo(0, 14);
    // Pooled: 419/2900 = 14.4 % against 401/1100 = 36.5 %: a 22-point "regression".
    expect(e.candidateRate - e.incumbentRate).toBeGreaterThan(0.2);
  });

  it("refuses counts outside 0 <= x <= n", () => {
    expect(() => addMinute(emptyDifference(), { x: 3, n: 2 }, { x: 0, n: 1 })).toThrow(RangeError);
    expect(() => addMinute(emptyDifference(), { x: 0, n: 2 }, { x: -1, n: 1 })).toThrow(RangeError);
  });
});
