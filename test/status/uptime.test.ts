// The uptime-style figure: minutes of the last 90 days (since the first data) without a
// firing incident, overlapping incidents counted once, an open one until now.
import { describe, expect, it } from "vitest";
import { uptimeShare } from "../../src/status/uptime";

const MIN = 60_000;
const DAY = 1_440 * MIN;
const NOW = 200 * DAY;
const FROM = NOW - 90 * DAY;

describe("uptimeShare", () => {
  it("is 1 without incidents and null without data", () => {
    expect(uptimeShare({ spans: [], from: FROM, now: NOW, firstSeen: 0 })).toBe(1);
    expect(uptimeShare({ spans: [], from: FROM, now: NOW, firstSeen: null })).toBeNull();
  });

  it("takes 90 minutes of incident out of 90 days: 1 − 90/129,600", () => {
    const spans = [{ from: NOW - DAY, to: NOW - DAY + 90 * MIN }];
    expect(uptimeShare({ spans, from: FROM, now: NOW, firstSeen: 0 })).toBeCloseTo(
      1 - 90 / (90 * 1_440),
      12,
    );
  });

  it("counts overlapping incidents once and an open one until now", () => {
    const spans = [
      { from: NOW - 100 * MIN, to: NOW - 40 * MIN },
      { from: NOW - 70 * MIN, to: NOW - 10 * MIN },
      { from: NOW - 5 * MIN, to: null },
    ];
    const share = uptimeShare({ spans, from: FROM, now: NOW, firstSeen: 0 });
    expect(share).toBeCloseTo(1 - 95 / (90 * 1_440), 12);
  });

  it("counts only from the first data and clips incidents older than the range", () => {
    const spans = [{ from: NOW - 95 * DAY, to: NOW - 89 * DAY }];
    // First seen 10 days ago: the old incident lies before it and counts for nothing.
    expect(uptimeShare({ spans, from: FROM, now: NOW, firstSeen: NOW - 10 * DAY })).toBe(1);
    // From the start of the range: its last day inside the range counts.
    expect(uptimeShare({ spans, from: FROM, now: NOW, firstSeen: 0 })).toBeCloseTo(89 / 90, 12);
  });
});
