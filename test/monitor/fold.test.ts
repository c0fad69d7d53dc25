// Windows counted later (src/monitor/monitor-core.ts): commits record events in the
// outbox, and a fold counts them into the windows exactly once, before any read of the
// windows and before the archive flush deletes the outbox's rows.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import { MonitorCore } from "../../src/monitor/monitor-core";
import { testMonitor } from "./fixture";

const eventsFor = (slug: string, n: number, tag: string, now: number): ArchivedEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `fold-${tag}-${i}`,
    deployment: slug,
    environment: "production",
    ts: now - i,
    status: i % 4 === 0 ? "error" : "ok",
    model: "gpt-4o-mini",
    received_at: now,
  }));

describe("windows counted by a later fold", () => {
  it("counts events committed before a restart once, however often the windows are read", async () => {
    const monitor = testMonitor("fold");
    const counts = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName(monitor.deploymentId),
      async (_, state) => {
        const now = Date.now();
        const range = { from: now - 60_000, to: now + 1 };
        const before = new MonitorCore(state, env);
        for (let k = 0; k < 5; k++)
          await before.ingest({ monitor, events: eventsFor(monitor.slug, 8, `a${k}`, now) });
        // A new instance on the same storage: the object restarted before any fold.
        const after = new MonitorCore(state, env);
        const first = (await after.snapshot(range)).summary;
        const second = (await after.snapshot(range)).summary;
        const old = (await before.snapshot(range)).summary;
        const [window] = await after.windows([{ ...range, resolution: "1m" }]);
        return [first.count, first.status.error, second.count, old.count, window?.buckets];
      },
    );
    expect(counts).toEqual([40, 10, 40, 40, 1]);
  });

  it("counts the windows before the archive flush deletes the outbox's rows", async () => {
    const monitor = testMonitor("fold");
    const counted = await runInDurableObject(
      env.DEPLOYMENT_MONITOR.getByName(monitor.deploymentId),
      async (_, state) => {
        const now = Date.now();
        const core = new MonitorCore(state, env);
        await core.ingest({ monitor, events: eventsFor(monitor.slug, 12, "b", now) });
        const { objects } = await core.flushArchive();
        const pending = (await core.stats()).outboxBytes;
        const { count } = (await core.snapshot({ from: now - 60_000, to: now + 1 })).summary;
        return { objects, pending, count };
      },
    );
    expect(counted).toEqual({ objects: 1, pending: 0, count: 12 });
  });
});
