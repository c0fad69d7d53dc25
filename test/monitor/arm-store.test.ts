// Per-release arms in the Durable Object: minutes only while two releases serve, at most 8
// live arms (the rest pooled), batches of a minute merged, and the storage they take.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import {
  ARM_BLOCK_MS,
  ARM_RETENTION_MS,
  ArmStore,
  MAX_LIVE_ARMS,
  unpackArmBucket,
} from "../../src/monitor/arm-store";
import { typicalTraffic } from "../sample-events";
import { testMonitor } from "./fixture";

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 0, 5, 12);

const call = (promptVersion: string, ts: number, extra: Partial<NormalizedInteraction> = {}) =>
  ({
    type: "interaction",
    id: crypto.randomUUID(),
    deployment: "d",
    environment: "production",
    ts,
    status: "ok",
    model: "m",
    provider: "p",
    prompt_version: promptVersion,
    ...extra,
  }) satisfies NormalizedInteraction;

function withStore<T>(name: string, run: (store: ArmStore, sql: SqlStorage) => T) {
  return runInDurableObject(env.DEPLOYMENT_MONITOR.getByName(`arm-test:${name}`), (_, s) => {
    const store = new ArmStore(s.storage.sql);
    store.createSchema();
    return run(store, s.storage.sql);
  });
}

describe("ArmStore", () => {
  it("keeps no minutes while a single release serves, and each arm's once a second one serves", async () => {
    await withStore("second", (store) => {
      store.add([call("v1", NOW - 3 * MINUTE), call("v1", NOW - 2 * MINUTE)], NOW);
      expect(store.windows({ from: 0, to: NOW }).flatMap((w) => w.minutes)).toEqual([]);
      store.add([call("v1", NOW - MINUTE), call("v2", NOW - MINUTE, { status: "error" })], NOW);
      const windows = store.windows({ from: 0, to: NOW });
      expect(windows.map((w) => [w.arm.promptVersion, w.arm.count, w.minutes.length])).toEqual([
        ["v1", 3, 1],
        ["v2", 1, 1],
      ]);
      const v2 = windows[1]?.minutes[0];
      expect(v2 && unpackArmBucket(v2.data).bucket.counters.error).toBe(1);
    });
  });

  it("merges batches of the same minute into one row per arm, cost per interaction included", async () => {
    await withStore("merge", (store) => {
      const t = NOW - MINUTE;
      store.add([call("a", t, { cost_usd: 0.01 }), call("b", t)], NOW);
      store.add([call("a", t + 1, { cost_usd: 0.03 }), call("b", t + 2)], NOW);
      const a = store.windows({ from: 0, to: NOW })[0];
      expect(a?.minutes).toHaveLength(1);
      const bucket = a?.minutes[0] && unpackArmBucket(a.minutes[0].data);
      expect(bucket?.bucket.counters.count).toBe(2);
      expect(bucket?.cost.count).toBe(2);
      expect(bucket?.cost.sum).toBeCloseTo(0.04, 12);
    });
  });

  it("pools releases past 8 live arms, and lets a new one take the slot of an arm idle for 2 hours", async () => {
    await withStore("bound", (store) => {
      const early = NOW - 3 * ARM_RETENTION_MS;
      store.add([call("old", early)], early);
      store.add(
        Array.from({ length: MAX_LIVE_ARMS - 1 }, (_, i) => call(`v${i}`, NOW - MINUTE)),
        NOW,
      );
      store.add([call("new", NOW - MINUTE)], NOW);
      let names = store.arms().map((a) => a.promptVersion);
      expect(names).toContain("new");
      expect(names).not.toContain("old");
      store.add([call("newer", NOW - MINUTE), call("newest", NOW - MINUTE)], NOW);
      const arms = store.arms();
      names = arms.map((a) => a.promptVersion);
      expect(names).not.toContain("newer");
      expect(arms.filter((a) => !a.pooled)).toHaveLength(MAX_LIVE_ARMS);
      expect(arms.find((a) => a.pooled)).toMatchObject({ promptVersion: "(other)", count: 2 });
    });
  });

  it("drops minutes past their retention", async () => {
    await withStore("expire", (store) => {
      store.add([call("a", NOW - MINUTE), call("b", NOW - MINUTE)], NOW);
      store.expire(NOW - MINUTE + ARM_RETENTION_MS);
      expect(store.windows({ from: 0, to: NOW }).flatMap((w) => w.minutes)).toHaveLength(2);
      store.expire(NOW - MINUTE + ARM_RETENTION_MS + 1);
      expect(store.windows({ from: 0, to: NOW }).flatMap((w) => w.minutes)).toHaveLength(0);
    });
  });

  it("keeps every minute of an arm as its 5-minute rows close, late minutes of a closed row included", async () => {
    await withStore("blocks", (store, sql) => {
      const start = Math.floor((NOW - 60 * MINUTE) / ARM_BLOCK_MS) * ARM_BLOCK_MS;
      for (let m = 0; m < 12; m++) {
        const t = start + m * MINUTE;
        store.add([call("a", t), call("b", t, { status: "error" })], t + MINUTE);
      }
      // A late batch for the first minute, after its row was closed.
      store.add([call("b", start + 1, { status: "error" })], start + 12 * MINUTE);
      const closed = sql.exec<{ n: number }>("SELECT count(*) AS n FROM arm_blocks").one().n;
      expect(closed).toBe(4); // 2 arms × the 2 finished 5-minute rows
      const [a, b] = store.windows({ from: 0, to: NOW });
      expect(a?.minutes.map((m) => m.minute)).toEqual(
        Array.from({ length: 12 }, (_, m) => start + m * MINUTE),
      );
      const errors = (b?.minutes ?? []).map((m) => unpackArmBucket(m.data).bucket.counters.error);
      expect(errors).toEqual([2, ...Array(11).fill(1)]);
    });
  });

  // The memory figure: 8 releases sharing 1,000 events/min for the whole 2-hour retention,
  // with the interaction refs of the last 10 minutes (arm-refs.ts).
  it("keeps 8 arms × 120 minutes of 1,000 events/min in under 1 MiB of storage", async () => {
    await withStore("size", (store, sql) => {
      const pool = typicalTraffic(1000, 31);
      const before = sql.databaseSize;
      const start = NOW - ARM_RETENTION_MS;
      for (let m = 0; m < 120; m++) {
        const events = pool.map((e, i) => ({
          ...e,
          ts: start + m * MINUTE + i * 50,
          model: "m",
          provider: "p",
          prompt_version: `v${i % MAX_LIVE_ARMS}`,
        }));
        // As the object runs: each minute accepted when it ends, the alarm expiring refs.
        const at = start + (m + 1) * MINUTE;
        store.add(events, at);
        store.expire(at);
      }
      const windows = store.windows({ from: 0, to: NOW + 1 });
      expect(windows.map((w) => w.minutes.length)).toEqual(Array(MAX_LIVE_ARMS).fill(120));
      const bytes = sql.databaseSize - before;
      console.log(
        `arm storage, 8 arms x 120 minutes at 1,000 events/min, with refs: ${bytes} bytes`,
      );
      expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    });
  }, 120_000);

  it("is fed by the Durable Object's ingest, from the same accepted events", async () => {
    const m = testMonitor("prj_arms");
    const stub = env.DEPLOYMENT_MONITOR.getByName(m.deploymentId);
    const now = Date.now();
    const events: ArchivedEvent[] = ["v13", "v14", "v13"].map((v) => ({
      ...call(v, now - 1000),
      deployment: m.slug,
      received_at: now,
    }));
    await stub.ingest({ monitor: m, events });
    await stub.ingest({ monitor: m, events }); // a redelivery counts nothing twice
    const windows = await stub.armWindows({ from: now - ARM_RETENTION_MS, to: now + MINUTE });
    expect(windows.map((w) => [w.arm.promptVersion, w.arm.count])).toEqual([
      ["v13", 2],
      ["v14", 1],
    ]);
  });

  it("counts thumbs and evals sent later by ref into the arm that served the interaction, at their own minute", async () => {
    await withStore("late", (store) => {
      const t = NOW - 5 * MINUTE;
      const a = call("v13", t);
      const b = call("v14", t);
      store.add([a, b], NOW - 4 * MINUTE);
      const later = NOW - 2 * MINUTE;
      store.add(
        [
          {
            type: "feedback",
            id: "f1",
            ref: b.id,
            deployment: "d",
            environment: "production",
            ts: later,
            feedback: -1,
          },
          {
            type: "feedback",
            id: "f2",
            ref: a.id,
            deployment: "d",
            environment: "production",
            ts: later,
            feedback: 1,
          },
          {
            type: "eval",
            id: "e1",
            ref: b.id,
            deployment: "d",
            environment: "production",
            ts: later,
            evals: { helpful: 0.2 },
          },
          // An interaction nobody recorded: counted in no arm.
          {
            type: "feedback",
            id: "f3",
            ref: "unknown",
            deployment: "d",
            environment: "production",
            ts: later,
            feedback: -1,
          },
        ],
        NOW,
      );
      const [v13, v14] = store.windows({ from: 0, to: NOW });
      const at = (w: typeof v13, minute: number) => {
        const m = w?.minutes.find((x) => x.minute === minute);
        return m ? unpackArmBucket(m.data).bucket : undefined;
      };
      expect(at(v14, later)?.counters).toMatchObject({ feedback_down: 1, feedback_up: 0 });
      expect(at(v14, later)?.evals.helpful?.count).toBe(1);
      expect(at(v13, later)?.counters).toMatchObject({ feedback_down: 0, feedback_up: 1 });
      // The interactions' own minute is unchanged.
      expect(at(v14, t)?.counters).toMatchObject({ count: 1, feedback_down: 0 });
    });
  });

  it("finds an interaction's arm after the object restarts, and forgets it after 10 minutes", async () => {
    await withStore("late-restart", (store, sql) => {
      const t = NOW - 40 * MINUTE;
      const a = call("v13", t);
      const b = call("v14", t);
      store.add([a, b], t + MINUTE);
      const thumb = (id: string, ref: string, ts: number) => ({
        type: "feedback" as const,
        id,
        ref,
        deployment: "d",
        environment: "production",
        ts,
        feedback: -1 as const,
      });
      // A new store on the same storage: what the object reads after a restart.
      const restarted = new ArmStore(sql);
      restarted.add([thumb("g1", b.id, t + 2 * MINUTE)], t + 3 * MINUTE);
      restarted.add([thumb("g2", b.id, NOW - MINUTE)], NOW);
      const v14 = restarted
        .windows({ from: 0, to: NOW })
        .find((w) => w.arm.promptVersion === "v14");
      const downs = (v14?.minutes ?? []).map((m) => [
        m.minute - t,
        unpackArmBucket(m.data).bucket.counters.feedback_down,
      ]);
      expect(downs).toEqual([
        [0, 0],
        [2 * MINUTE, 1],
      ]);
    });
  });
});
