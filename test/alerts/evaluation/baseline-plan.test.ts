// What a deployment compares with: the rolling 7 days, what ran before a release change
// however short, or a young deployment's own first traffic (issue 22, item 2).
import { describe, expect, it } from "vitest";
import { baselinePlan, baselineReadiness } from "../../../src/alerts/evaluation/baseline-plan";
import type { ReleaseChange } from "../../../src/alerts/evaluation/baseline-ranges";

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const now = 1_000 * H;
const change = (at: number): ReleaseChange => ({
  version: "prompt v2",
  previous_version: "prompt v1",
  first_seen_at: at,
});

describe("baseline plan", () => {
  it("uses the trailing 7 days but the last hour for a deployment that has lived for days", () => {
    expect(baselinePlan(now + 30 * M, now - 10 * D, 15, null)).toEqual({
      source: "rolling",
      pieces: [{ from: now - H - 7 * D, to: now - H, resolution: "1h" }],
      from: now - H - 7 * D,
      to: now - H,
    });
  });

  it("has nothing to compare with before the first window has passed", () => {
    const plan = baselinePlan(now + 10 * M, now, 15, null);
    expect(plan.source).toBe("bootstrap");
    expect(plan.pieces).toEqual([]);
  });

  it("bootstraps a new deployment from its own traffic before the window, by the minute", () => {
    expect(baselinePlan(now + 25 * M, now + 3 * M + 500, 15, null)).toEqual({
      source: "bootstrap",
      pieces: [{ from: now + 3 * M, to: now + 10 * M, resolution: "1m" }],
      from: now + 3 * M,
      to: now + 10 * M,
    });
  });

  it("keeps the bootstrap baseline to the first hour, whole hours read by the hour", () => {
    const born = now + 40 * M;
    const plan = baselinePlan(now + 2 * H + 30 * M, born, 15, null);
    expect(plan.source).toBe("bootstrap");
    expect(plan.pieces).toEqual([
      { from: now, to: now + H, resolution: "1h" },
      { from: now + H, to: born + H, resolution: "1m" },
    ]);
  });

  it("switches to the rolling baseline once it holds an hour of the deployment's life", () => {
    const born = now + 40 * M;
    expect(baselinePlan(now + 3 * H, born, 15, null).source).toBe("rolling");
    expect(baselinePlan(now + 3 * H - M, born, 15, null).source).toBe("bootstrap");
  });

  it("compares a release with what ran before it up to the change's minute, however short", () => {
    const plan = baselinePlan(now + 50 * M, now + 5 * M, 15, change(now + 25 * M + 7_000));
    expect(plan.source).toBe("release");
    expect(plan.pieces).toEqual([
      { from: now - 7 * D, to: now, resolution: "1h" },
      { from: now, to: now + 25 * M, resolution: "1m" },
    ]);
  });

  it("leaves out a release's own hour once its minutes have expired", () => {
    const plan = baselinePlan(now + 5 * H, now - 30 * D, 15, change(now + 25 * M));
    expect(plan.pieces).toEqual([{ from: now - 7 * D, to: now, resolution: "1h" }]);
  });
});

describe("baseline readiness", () => {
  const young = {
    source: "bootstrap" as const,
    needed: 100,
    firstSeen: now,
    windowMinutes: 15,
    perMinute: 10,
  };

  it("says how many events and until when a young deployment's baseline needs", () => {
    expect(baselineReadiness({ ...young, events: 0, minute: now + 5 * M })).toEqual({
      source: "bootstrap",
      events: 0,
      needed: 100,
      ready: false,
      events_to_go: 100,
      ready_at: now + 26 * M,
      message: `baseline ready after 100 more events or at ${new Date(now + 26 * M).toISOString().slice(11, 16)} UTC`,
    });
  });

  it("counts from now once the first window has passed", () => {
    const r = baselineReadiness({ ...young, events: 40, minute: now + 20 * M });
    expect(r).toMatchObject({ ready: false, events_to_go: 60, ready_at: now + 26 * M });
  });

  it("is ready once the baseline holds what the tests need", () => {
    const r = baselineReadiness({ ...young, events: 100, minute: now + 30 * M });
    expect(r).toMatchObject({ ready: true, events_to_go: 0, ready_at: null });
  });

  it("gives no time without traffic, and none for a baseline that will not grow", () => {
    expect(
      baselineReadiness({ ...young, events: 0, minute: now + 5 * M, perMinute: 0 }).ready_at,
    ).toBeNull();
    const release = baselineReadiness({
      ...young,
      source: "release",
      events: 30,
      minute: now + 30 * M,
    });
    expect(release).toMatchObject({ ready: false, ready_at: null });
    expect(release.message).toBe("the release baseline holds 30 events, the tests need ≥ 100");
  });
});
