// The DeploymentMonitor's archive writer (src/monitor/archive-outbox.ts): accepted events
// wait in the outbox and reach R2 once each, named by hour and sequence range, from the
// alarm when due (the delay passed or the size bound reached) or at once on flushArchive.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  type ArchivedEvent,
  decodeArchive,
  deploymentPrefix,
  objectKey,
  syntheticObjectKey,
} from "../../src/archive/layout";
import { ARCHIVE_CHUNK_BYTES } from "../../src/monitor/archive-outbox";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { monitorIdOf } from "../../src/monitor/monitor-id";
import { hourOf } from "../../src/shared/time";
import { keysUnder } from "../archive/fixture";
import { waitFor } from "../helpers";
import { testMonitor } from "./fixture";

const HOUR = 3_600_000;

const monitor = (synthetic = false) => testMonitor("prj_archwriter", synthetic);

function events(m: MonitorRef, n: number, ts: number, extra = {}): ArchivedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${m.slug}-${ts}-${i}`,
    deployment: m.slug,
    environment: m.environment,
    ts: ts + i,
    status: "ok",
    ...(m.synthetic ? { source: "synthetic" as const } : {}),
    ...extra,
    received_at: ts + 10_000,
  }));
}

async function read(key: string): Promise<ArchivedEvent[]> {
  const body = await env.ARCHIVE.get(key);
  return body ? decodeArchive(new Uint8Array(await body.arrayBuffer())) : [];
}

describe("archive writer", () => {
  it("waits for the delay, then writes each accepted event once, per hour, with received_at", async () => {
    const m = monitor();
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    const now = Date.now();
    const earlier = events(m, 3, hourOf(now) - HOUR + 5);
    const later = events(m, 4, now - 1_000);
    await stub.ingest({ monitor: m, events: [...earlier, ...later] });
    // The alarm flushes rollups within 30 s; the archive waits ARCHIVE_DELAY_MS.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await keysUnder(deploymentPrefix(m))).toEqual([]);
    expect(await stub.flushArchive()).toEqual({ objects: 2 });
    expect(await keysUnder(deploymentPrefix(m))).toEqual([
      objectKey(m, hourOf(earlier[0]?.ts ?? 0), 1, 3),
      objectKey(m, hourOf(now - 1_000), 4, 7),
    ]);
    expect(await read(objectKey(m, hourOf(now - 1_000), 4, 7))).toEqual(later);
    // Copies are neither counted nor archived again.
    const again = await stub.ingest({ monitor: m, events: later });
    expect(again).toMatchObject({ accepted: 0, duplicates: 4 });
    expect(await stub.flushArchive()).toEqual({ objects: 0 });
    expect(await keysUnder(deploymentPrefix(m))).toHaveLength(2);
  });

  it("writes from the alarm at once when the outbox passes its size bound, in bounded objects", async () => {
    const m = monitor();
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    const now = Date.now();
    const padding = { tags: { note: "x".repeat(1_000) } };
    // Two calls of ~1.6 MB and one of ~3.3 MB (more than a Durable Object row holds, so
    // its text is split over rows): past the bound after the third.
    for (let i = 0; i < 2; i++) {
      await stub.ingest({
        monitor: m,
        events: events(m, 1_500, now - 60_000 + i * 2_000, padding),
      });
    }
    await stub.ingest({ monitor: m, events: events(m, 3_000, now - 50_000, padding) });
    // The alarm is due at once: it may already have run by itself.
    await runDurableObjectAlarm(stub);
    const keys = await waitFor(
      () => keysUnder(deploymentPrefix(m)),
      (k) => k.length >= 2,
    );
    let total = 0;
    for (const key of keys) {
      const head = await env.ARCHIVE.head(key);
      expect(head?.size ?? 0).toBeLessThan(ARCHIVE_CHUNK_BYTES);
      total += (await read(key)).length;
    }
    expect(total).toBe(6_000);
  }, 60_000);

  it("names a synthetic sibling's objects apart from the deployment's", async () => {
    const m = monitor(true);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    const now = Date.now();
    const result = await stub.ingest({ monitor: m, events: events(m, 2, now - 5_000) });
    // Probe runs neither count as the deployment's activity nor mark releases.
    expect(result).toEqual({ accepted: 2, duplicates: 0, dropped: 0, seen: null, releases: [] });
    await stub.flushArchive();
    expect(await keysUnder(deploymentPrefix(m))).toEqual([
      syntheticObjectKey(m, hourOf(now - 5_000), 1, 2),
    ]);
  });
});
