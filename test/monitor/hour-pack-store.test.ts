// Past days' 1-hour buckets sit a day to a row once their rollups are in D1: windows read
// the same, a late event takes its hour back out (counted once, rolled up whole), and a
// row that does not decode is set aside while the other days answer.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DAY_MS, HOUR_MS } from "../../src/shared/time";
import { decodeBucket, encodeBucket } from "../../src/window/bucket";
import { uniqueSlug } from "../helpers";
import { bucketOf, interaction } from "../sample-events";

/** Years ahead of the real clock, so only runDurableObjectAlarm runs the alarm. */
const T0 = Date.parse("2036-03-10T12:00:00Z");
const DAY = Date.parse("2036-03-09T00:00:00Z");

const monitor = () => {
  const deploymentId = `prj_packs:production:${uniqueSlug()}`;
  return { deploymentId, stub: env.DEPLOYMENT_MONITOR.getByName(deploymentId) };
};
type Monitor = ReturnType<typeof monitor>;

const hourOf = (start: number, n: number) => ({
  start,
  data: encodeBucket(
    bucketOf(Array.from({ length: n }, (_, i) => interaction({ ts: start, latency_ms: 100 + i }))),
  ),
});

let applied = 0;
const apply = (m: Monitor, buckets: { start: number; data: string }[] = []) =>
  m.stub.apply({ deploymentId: m.deploymentId, token: `t${applied++}`, buckets });

async function alarmAt(m: Monitor, now: number): Promise<void> {
  vi.setSystemTime(now);
  await apply(m);
  expect(await runDurableObjectAlarm(m.stub)).toBe(true);
}

const window = async (m: Monitor, from: number, to: number) => {
  const [w] = await m.stub.windows([{ from, to, resolution: "1h" }]);
  if (!w) throw new Error("no window");
  return { buckets: w.buckets, quarantined: w.quarantined, bucket: decodeBucket(w.data) };
};

const rows = (m: Monitor) =>
  runInDurableObject(m.stub, (_, state) => ({
    hours: state.storage.sql
      .exec<{ start: number }>("SELECT start FROM buckets WHERE resolution = '1h' ORDER BY start")
      .toArray()
      .map((r) => r.start),
    packs: state.storage.sql
      .exec<{ day: number }>("SELECT day FROM hour_packs ORDER BY day")
      .toArray()
      .map((r) => r.day),
  }));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Past days' hour buckets", () => {
  it("move into one row per day once rolled up, and windows read exactly the same", async () => {
    const m = monitor();
    const today = T0 - 2 * HOUR_MS;
    await apply(m, [hourOf(DAY, 3), hourOf(DAY + 7 * HOUR_MS, 4), hourOf(today, 5)]);
    const before = await window(m, DAY - DAY_MS, T0 + HOUR_MS);
    expect(await rows(m)).toEqual({ hours: [DAY, DAY + 7 * HOUR_MS, today], packs: [] });

    await alarmAt(m, T0);
    expect(await rows(m)).toEqual({ hours: [today], packs: [DAY] });
    const after = await window(m, DAY - DAY_MS, T0 + HOUR_MS);
    expect(after.buckets).toBe(3);
    expect(encodeBucket(after.bucket)).toBe(encodeBucket(before.bucket));
    // A range inside the day reads only the hours in it.
    expect((await window(m, DAY + HOUR_MS, DAY + 8 * HOUR_MS)).bucket.counters.count).toBe(4);
  });

  it("stay rows while their day is within 2 hours of its end or their rollup is not in D1", async () => {
    const m = monitor();
    const lastHour = DAY + DAY_MS - HOUR_MS;
    await apply(m, [hourOf(lastHour, 1)]);
    await alarmAt(m, DAY + DAY_MS + 2 * HOUR_MS - 1);
    expect(await rows(m)).toEqual({ hours: [lastHour], packs: [] });
    await alarmAt(m, DAY + DAY_MS + 2 * HOUR_MS);
    expect(await rows(m)).toEqual({ hours: [], packs: [DAY] });
  });

  it("give an hour back when a late event changes it: counted once, and its rollup is the whole hour", async () => {
    const m = monitor();
    await apply(m, [hourOf(DAY, 3), hourOf(DAY + HOUR_MS, 2)]);
    await alarmAt(m, T0);
    expect(await rows(m)).toEqual({ hours: [], packs: [DAY] });

    await apply(m, [hourOf(DAY, 4)]);
    expect(await rows(m)).toEqual({ hours: [DAY], packs: [DAY] });
    expect((await window(m, DAY, DAY + DAY_MS)).bucket.counters.count).toBe(9);

    await alarmAt(m, T0 + 1);
    const rollup = await env.DB.prepare(
      "SELECT count FROM rollups WHERE deployment_id = ? AND resolution = '1h' AND bucket_start = ?",
    )
      .bind(m.deploymentId, DAY)
      .first<{ count: number }>();
    expect(rollup?.count).toBe(7);
    expect(await rows(m)).toEqual({ hours: [], packs: [DAY] });
    expect((await window(m, DAY, DAY + DAY_MS)).bucket.counters.count).toBe(9);
  });

  it("are kept for exactly 35 days after their start once packed, then dropped", async () => {
    const m = monitor();
    await apply(m, [hourOf(DAY, 2), hourOf(DAY + HOUR_MS, 3)]);
    await alarmAt(m, T0);
    expect(await rows(m)).toEqual({ hours: [], packs: [DAY] });
    const count = async () => (await window(m, 0, T0 + 40 * DAY_MS)).bucket.counters.count;

    await alarmAt(m, DAY + 35 * DAY_MS);
    expect(await count()).toBe(5);
    await alarmAt(m, DAY + 35 * DAY_MS + 1);
    expect(await count()).toBe(3);
    await alarmAt(m, DAY + HOUR_MS + 35 * DAY_MS + 1);
    expect(await count()).toBe(0);
    expect(await rows(m)).toEqual({ hours: [], packs: [] });
  });

  it("set a day's row aside when it does not decode, and the other days still answer", async () => {
    const m = monitor();
    await apply(m, [hourOf(DAY, 3), hourOf(DAY - DAY_MS, 2)]);
    await alarmAt(m, T0);
    expect((await rows(m)).packs).toEqual([DAY - DAY_MS, DAY]);
    await runInDurableObject(m.stub, (_, state) => {
      state.storage.sql.exec(
        "UPDATE hour_packs SET data = ? WHERE day = ?",
        new Uint8Array([9, 9]),
        DAY,
      );
    });
    const w = await window(m, DAY - DAY_MS, DAY + DAY_MS);
    expect({ count: w.bucket.counters.count, quarantined: w.quarantined }).toEqual({
      count: 2,
      quarantined: 1,
    });
    expect((await rows(m)).packs).toEqual([DAY - DAY_MS]);
  });
});
