// When the direct intake's window closes (src/monitor/intake-window.ts): pure times.
import { describe, expect, it } from "vitest";
import { closesAt, MAX_EVENTS, MAX_WAIT_MS, QUIET_MS } from "../../src/monitor/intake-window";

describe("the direct intake's window", () => {
  it("closes QUIET_MS after the last arrival when nobody else comes", () => {
    expect(closesAt({ firstAt: 1_000, lastAt: 1_000, events: 1 })).toBe(1_000 + QUIET_MS);
    expect(closesAt({ firstAt: 1_000, lastAt: 1_004, events: 3 })).toBe(1_004 + QUIET_MS);
  });

  it("closes MAX_WAIT_MS after the first arrival however busy it is", () => {
    const firstAt = 5_000;
    const lastAt = firstAt + MAX_WAIT_MS - 1;
    expect(closesAt({ firstAt, lastAt, events: 99 })).toBe(firstAt + MAX_WAIT_MS);
  });

  it("closes at once when it holds MAX_EVENTS, and not one event earlier", () => {
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS })).toBe(10);
    expect(closesAt({ firstAt: 0, lastAt: 10, events: MAX_EVENTS - 1 })).toBe(10 + QUIET_MS);
  });
});
