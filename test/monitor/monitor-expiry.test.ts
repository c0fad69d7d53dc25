// Time-based expiry in the DeploymentMonitor, tested directly: apply, move the clock, run
// the alarm, re-apply, and check exactly what is left. Each retention is probed on both
// sides of its boundary (at the limit: kept; 1 ms past it: gone), so a unit slip (seconds
// for milliseconds) or an off-by-one comparison fails here. The object reads the time
// with Date.now(), which the fake clock replaces in the same isolate.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Resolution } from "../../src/monitor/deployment-monitor";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/shared/time";
import { decodeBucket, encodeBucket } from "../../src/window/bucket";
import { uniqueSlug } from "../helpers";
import { bucketOf, interaction } from "../sample-events";

/**
 * On a whole hour, so minute and hour buckets start exactly where the test says; and years
 * ahead of the real clock, so workerd never fires an alarm by itself (alarms are scheduled
 * on the fake clock and run on the real one): only runDurableObjectAlarm runs it.
 */
const T0 = Date.parse("2036-01-07T12:00:00Z");

const monitor = () => {
  const deploymentId = `prj_expiry:production:${uniqueSlug()}`;
  return { deploymentId, stub: env.DEPLOYMENT_MONITOR.getByName(deploymentId) };
};
type Monitor = ReturnType<typeof monitor>;

/** One bucket of `n` interactions at `start`. */
const oneBucket = (start: number, n = 1) => ({
  start,
  data: encodeBucket(bucketOf(Array.from({ length: n }, () => interaction({ ts: start })))),
});

const apply = (m: Monitor, token: string, buckets: { start: number; data: string }[] = []) =>
  m.stub.apply({ deploymentId: m.deploymentId, token, buckets });

/** Runs the expiry alarm at `now`; an empty apply schedules it (the alarm is one-shot). */
async function alarmAt(m: Monitor, now: number): Promise<void> {
  vi.setSystemTime(now);
  await apply(m, `schedule-${now}-${Math.random()}`);
  expect(await runDurableObjectAlarm(m.stub)).toBe(true);
}

/** Buckets kept at a resolution (over all time) and the interactions they hold. */
async function kept(m: Monitor, resolution: Resolution) {
  const [w] = await m.stub.windows([{ from: 0, to: T0 + 100 * DAY_MS, resolution }]);
  if (!w) throw new Error("no window");
  return { buckets: w.buckets, count: decodeBucket(w.data).counters.count };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("claim-token retention", () => {
  it("remembers a token for exactly one day across alarms, then forgets it", async () => {
    const m = monitor();
    expect(await apply(m, "tok-a", [oneBucket(T0)])).toEqual({ applied: true });

    // At exactly one day the sweep keeps it: a redelivery then is still ignored.
    await alarmAt(m, T0 + DAY_MS);
    expect(await apply(m, "tok-a", [oneBucket(T0)])).toEqual({ applied: false });
    expect((await kept(m, "1h")).count).toBe(1);

    // One millisecond later the sweep drops it; the token is new again.
    await alarmAt(m, T0 + DAY_MS + 1);
    expect(await apply(m, "tok-a", [oneBucket(T0)])).toEqual({ applied: true });
    expect((await kept(m, "1h")).count).toBe(2);
  });

  it("outlasts a redelivery hours later with the alarm run in between", async () => {
    const m = monitor();
    await apply(m, "tok-b", [oneBucket(T0, 3)]);
    for (const hours of [1, 6, 23]) {
      await alarmAt(m, T0 + hours * HOUR_MS);
      expect(await apply(m, "tok-b", [oneBucket(T0, 3)])).toEqual({ applied: false });
    }
    expect((await kept(m, "1h")).count).toBe(3);
  });
});

describe("1-minute buckets", () => {
  it("take a bucket exactly 2 hours old and not one a minute older", async () => {
    const m = monitor();
    await apply(m, "t", [oneBucket(T0 - 2 * HOUR_MS, 2), oneBucket(T0 - 2 * HOUR_MS - MINUTE_MS)]);
    expect(await kept(m, "1m")).toEqual({ buckets: 1, count: 2 });
    // The hour buckets take both (two different hours).
    expect(await kept(m, "1h")).toEqual({ buckets: 2, count: 3 });
  });

  it("are kept until 3 hours after their start (2 h retention + 1 h grace), then dropped", async () => {
    const m = monitor();
    await apply(m, "t", [oneBucket(T0, 2), oneBucket(T0 + MINUTE_MS, 5)]);
    expect(await kept(m, "1m")).toEqual({ buckets: 2, count: 7 });

    await alarmAt(m, T0 + 3 * HOUR_MS);
    expect(await kept(m, "1m")).toEqual({ buckets: 2, count: 7 });

    await alarmAt(m, T0 + 3 * HOUR_MS + 1);
    expect(await kept(m, "1m")).toEqual({ buckets: 1, count: 5 });

    await alarmAt(m, T0 + MINUTE_MS + 3 * HOUR_MS + 1);
    expect(await kept(m, "1m")).toEqual({ buckets: 0, count: 0 });
    // The hour bucket holding them outlives them.
    expect(await kept(m, "1h")).toEqual({ buckets: 1, count: 7 });
  });
});

describe("1-hour buckets", () => {
  it("take an hour exactly 35 days old and not the hour before it", async () => {
    const m = monitor();
    const edge = T0 - 35 * DAY_MS;
    await apply(m, "t", [oneBucket(edge, 4), oneBucket(edge - HOUR_MS, 1)]);
    expect(await kept(m, "1h")).toEqual({ buckets: 1, count: 4 });
  });

  it("are kept for exactly 35 days after their start, then dropped", async () => {
    const m = monitor();
    await apply(m, "t", [oneBucket(T0, 2), oneBucket(T0 + HOUR_MS, 3)]);
    expect(await kept(m, "1h")).toEqual({ buckets: 2, count: 5 });

    await alarmAt(m, T0 + 35 * DAY_MS);
    expect(await kept(m, "1h")).toEqual({ buckets: 2, count: 5 });

    await alarmAt(m, T0 + 35 * DAY_MS + 1);
    expect(await kept(m, "1h")).toEqual({ buckets: 1, count: 3 });

    await alarmAt(m, T0 + HOUR_MS + 35 * DAY_MS + 1);
    expect(await kept(m, "1h")).toEqual({ buckets: 0, count: 0 });
  });
});
