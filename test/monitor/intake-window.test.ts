// When the direct intake commits (src/monitor/intake-window.ts): pure times.
import { describe, expect, it } from "vitest";
import {
  arrive,
  closesAt,
  commitsAtOnce,
  firstPace,
  MAX_EVENTS,
  MAX_WAIT_MS,
  QUIET_GAPS,
  QUIET_MAX_MS,
  QUIET_MIN_MS,
  quietMs,
} from "../../src/monitor/intake-window";

describe("the direct intake's window", () => {
  it("commits the first beacon, and one after a quiet span, at once", () => {
    expect(commitsAtOnce(firstPace(), 1_000, false, true)).toBe(true);
    const pace = arrive(firstPace(), 1_000, false);
    expect(commitsAtOnce(pace, 1_000 + QUIET_MIN_MS + 1, false, true)).toBe(true);
  });

  it("holds a beacon that finds a commit in flight or a group held, or follows another closely", () => {
    const pace = arrive(firstPace(), 1_000, false);
    expect(commitsAtOnce(pace, 5_000, true, true)).toBe(false);
    expect(commitsAtOnce(pace, 1_000 + QUIET_MIN_MS, false, true)).toBe(false);
  });

  it("commits a request whose client waits at once whenever the object is idle, however close the last arrival", () => {
    const pace = arrive(firstPace(), 1_000, false);
    expect(commitsAtOnce(pace, 1_000, false, false)).toBe(true);
    expect(commitsAtOnce(pace, 1_000, true, false)).toBe(false);
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
    expect(closesAt({ firstAt: 1_000, lastAt: 1_004, events: 3, waiting: false }, 7)).toBe(1_011);
  });

  it("closes MAX_WAIT_MS after the first arrival however busy it is", () => {
    const firstAt = 5_000;
    const lastAt = firstAt + MAX_WAIT_MS - 1;
    expect(closesAt({ firstAt, lastAt, events: 99, waiting: false }, 40)).toBe(
      firstAt + MAX_WAIT_MS,
    );
  });

  it("closes at once when it holds MAX_EVENTS, and not one event earlier", () => {
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS, waiting: false }, 5)).toBe(10);
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS - 1, waiting: false }, 5)).toBe(
      15,
    );
  });

  it("closes at once, without a quiet span, when a held request's client waits for its answer", () => {
    expect(closesAt({ firstAt: 1_000, lastAt: 1_004, events: 3, waiting: true }, 7)).toBe(1_004);
  });
});
