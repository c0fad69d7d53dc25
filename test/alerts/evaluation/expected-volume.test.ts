// The traffic a baseline expects a minute, which the traffic-drop test and the traffic effect
// size both start from: the same hour of last week when known, else the baseline's mean.
import { describe, expect, it } from "vitest";
import type { CheckInput } from "../../../src/alerts/evaluation/check-result";
import { expectedPerMinute } from "../../../src/alerts/evaluation/evaluate-volume";
import { emptyBucket } from "../../../src/window/bucket";
import { bucketOf, interaction } from "../../sample-events";

const input = (extra: Partial<CheckInput>): CheckInput => ({
  current: emptyBucket(),
  baseline: bucketOf(Array.from({ length: 60 }, () => interaction())),
  currentMinutes: 5,
  baselineMinutes: 20,
  ...extra,
});

describe("the traffic a baseline expects a minute", () => {
  it("is the same hour of last week's when known, even where the baseline holds more", () => {
    expect(expectedPerMinute(input({ baselineVolumePerMinute: 7 }))).toBe(7);
    expect(expectedPerMinute(input({ baselineVolumePerMinute: 0 }))).toBe(0);
  });

  it("is else the baseline's interactions over its minutes", () => {
    expect(expectedPerMinute(input({}))).toBe(3);
  });

  it("is unknown without a baseline or with a baseline of no minutes", () => {
    expect(expectedPerMinute(input({ baseline: null }))).toBeNull();
    expect(expectedPerMinute(input({ baselineMinutes: 0 }))).toBeNull();
  });
});
