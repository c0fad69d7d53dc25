// When the direct intake commits (src/monitor/intake-window.ts): pure times.
import { describe, expect, it } from "vitest";
import {
  arrive,
  arrived,
  closesAt,
  commitsAtOnce,
  finished,
  firstPace,
  firstRecent,
  MAX_EVENTS,
  MAX_WAIT_MS,
  QUIET_GAPS,
  QUIET_MAX_MS,
  QUIET_MIN_MS,
  quietMs,
  type Recent,
  returned,
} from "../../src/monitor/intake-window";

const arrivals = (recent: Recent, n: number): Recent => {
  let r = recent;
  for (let i = 0; i < n; i++) r = arrived(r);
  return r;
};

describe("the direct intake's window", () => {
  it("commits the first request, and one after a quiet span, at once", () => {
    expect(commitsAtOnce(firstPace(), 1_000, false)).toBe(true);
    const pace = arrive(firstPace(), 1_000, false);
    expect(commitsAtOnce(pace, 1_000 + QUIET_MIN_MS + 1, false)).toBe(true);
  });

  it("holds a request that finds a commit in flight or a group held, or follows another closely", () => {
    const pace = arrive(firstPace(), 1_000, false);
    expect(commitsAtOnce(pace, 5_000, true)).toBe(false);
    expect(commitsAtOnce(pace, 1_000 + QUIET_MIN_MS, false)).toBe(false);
  });

  it("learns the gaps only from arrivals that found the object busy", () => {
    let pace = arrive(firstPace(), 0, false);
    pace = arrive(pace, 100, false);
    expect(pace.gapMs).toBe(0);
    for (let t = 110; t <= 2_000; t += 10) pace = arrive(pace, t, true);
    expect(pace.gapMs).toBeGreaterThan(9.9);
    expect(pace.gapMs).toBeLessThanOrEqual(10);
    expect(quietMs(pace)).toBeCloseTo(QUIET_GAPS * pace.gapMs, 6);
  });

  it("keeps the quiet span within its bounds", () => {
    expect(quietMs({ lastAt: 0, gapMs: 0 })).toBe(QUIET_MIN_MS);
    expect(quietMs({ lastAt: 0, gapMs: 1_000 })).toBe(QUIET_MAX_MS);
  });

  it("closes a held group the quiet span after the last arrival when nobody else comes", () => {
    expect(closesAt({ firstAt: 1_000, lastAt: 1_004, events: 3 }, 7)).toBe(1_011);
  });

  it("closes MAX_WAIT_MS after the first arrival however busy it is", () => {
    const firstAt = 5_000;
    const lastAt = firstAt + MAX_WAIT_MS - 1;
    expect(closesAt({ firstAt, lastAt, events: 99 }, 40)).toBe(firstAt + MAX_WAIT_MS);
  });

  it("closes at once when it holds MAX_EVENTS, and not one event earlier", () => {
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS }, 5)).toBe(10);
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS - 1 }, 5)).toBe(15);
  });

  it("closes a held group at once when it is told the clients have come back", () => {
    expect(closesAt({ firstAt: 1_000, lastAt: 1_004, events: 3 }, 40, true)).toBe(1_004);
  });

  it("counts the clients back once as many arrived right after the last commit as the larger of the last two carried", () => {
    const pace = { lastAt: 0, gapMs: 10 };
    let recent = finished(firstRecent(), 3, 0);
    recent = finished(recent, 5, 100);
    expect(returned(arrivals(recent, 4), 104, pace)).toBe(false);
    expect(returned(arrivals(recent, 5), 105, pace)).toBe(true);
    recent = finished(recent, 2, 200);
    expect(returned(arrivals(recent, 2), 202, pace)).toBe(false);
    expect(returned(arrivals(recent, 5), 205, pace)).toBe(true);
  });

  it("does not count arrivals at the pace of independent beacons as clients coming back", () => {
    const pace = { lastAt: 0, gapMs: 10 };
    const recent = arrivals(finished(firstRecent(), 40, 1_000), 40);
    expect(returned(recent, 1_000 + 200, pace)).toBe(true);
    expect(returned(recent, 1_000 + 201, pace)).toBe(false);
    expect(returned(recent, 1_000 + 400, pace)).toBe(false);
  });

  it("counts nobody back before the first commit has finished", () => {
    expect(returned(arrivals(firstRecent(), 5), 0, { lastAt: 0, gapMs: 10 })).toBe(false);
  });
});
