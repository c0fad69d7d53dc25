// The DeploymentMonitor counts accepted interactions per segment beside its buckets, answers
// them with its windows, never twice for a copy, and forgets them with their retention.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { monitorIdOf } from "../../src/monitor/monitor-id";
import { SEGMENT_HOUR_RETENTION_MS, SegmentStore } from "../../src/monitor/segment-store";
import { HOUR_MS, hourOf } from "../../src/shared/time";
import { decodeSegments, emptySegments } from "../../src/window/segment-counts";
import { decodeMoments, emptyMoments, momentsOf } from "../../src/window/segment-moments";
import { testMonitor } from "./fixture";

function events(
  m: MonitorRef,
  n: number,
  ts: number,
  locale: string,
  down: boolean,
): ArchivedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${m.slug}-${locale}-${ts}-${i}`,
    deployment: m.slug,
    environment: m.environment,
    ts: ts + i,
    status: "ok",
    model: "gpt-4o",
    latency_ms: locale === "ja" ? 3_000 : 800,
    retrieval: { top_score: locale === "ja" ? 0.4 : 0.9 },
    evals: { grounded: locale === "ja" ? 0.2 : 0.8 },
    feedback: down ? -1 : 1,
    tags: { locale },
    received_at: ts + 1_000,
  }));
}

describe("segment counts in the Durable Object", () => {
  it("answers each window's segment counts, once per event however often it arrives", async () => {
    const m = testMonitor("prj_segments", false);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    const now = Date.now();
    const batch = [
      ...events(m, 6, now - 60_000, "ja", true),
      ...events(m, 4, now - 60_000, "en", false),
    ];
    await stub.ingest({ monitor: m, events: batch });
    await stub.ingest({ monitor: m, events: batch }); // a redelivered batch
    const [minute, hour] = await stub.windows([
      { from: now - 15 * 60_000, to: now + 1, resolution: "1m" },
      { from: hourOf(now) - HOUR_MS, to: now + 1, resolution: "1h" },
    ]);
    for (const w of [minute, hour]) {
      const s = decodeSegments(w?.segments ?? "");
      // count, error, timeout, refused, filtered, escalated, unanswered, up, down
      expect(s["tags.locale"]?.ja).toEqual([6, 0, 0, 0, 0, 0, 0, 0, 6]);
      expect(s["tags.locale"]?.en).toEqual([4, 0, 0, 0, 0, 0, 0, 4, 0]);
      expect(s.model?.["gpt-4o"]?.[0]).toBe(10);
      // The same segments' latency moments, counted once too.
      const moments = decodeMoments(w?.moments ?? "");
      const ja = momentsOf(moments.dims["tags.locale"]?.ja, "latency_ms");
      expect(ja.n).toBe(6);
      expect(Math.expm1(ja.mean)).toBeCloseTo(3_000, 0);
      expect(momentsOf(moments.dims["tags.locale"]?.en, "latency_ms").n).toBe(4);
      // And their scores: the retrieval top score and each eval's, on their own scale.
      expect(momentsOf(moments.dims["tags.locale"]?.ja, "retrieval_top_score").mean).toBeCloseTo(
        0.4,
        6,
      );
      const grounded = momentsOf(moments.dims["tags.locale"]?.en, "evals.grounded", moments.evals);
      expect(grounded.n).toBe(4);
      expect(grounded.mean).toBeCloseTo(0.8, 6);
    }
  });

  it("adds the moments column to an object stored before it, whose old rows read as no moments", async () => {
    const m = testMonitor("prj_segments_old_table", false);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    await runInDurableObject(stub, async (_, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE IF EXISTS segment_buckets");
      sql.exec(`CREATE TABLE segment_buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (resolution, start))`);
      const start = hourOf(Date.now());
      sql.exec(
        "INSERT INTO segment_buckets (resolution, start, data) VALUES ('1h', ?, ?)",
        start,
        JSON.stringify({ model: { a: [3, 0, 0, 0, 0, 0, 0, 0, 0] } }),
      );
      const store = new SegmentStore(sql);
      store.createSchema();
      const read = store.merge({ from: start, to: start + HOUR_MS }, "1h");
      expect(read.counts.model?.a?.[0]).toBe(3);
      expect(read.moments).toEqual(emptyMoments());
    });
  });

  it("expires hour rows after 8 days and minute rows after their 2 hours", async () => {
    const m = testMonitor("prj_segments_expiry", false);
    const stub = env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(m));
    await runInDurableObject(stub, async (_, state) => {
      const store = new SegmentStore(state.storage.sql);
      store.createSchema();
      const now = Date.now();
      const counts = emptySegments();
      counts.model = { a: [1, 0, 0, 0, 0, 0, 0, 0, 0] };
      const old = hourOf(now - SEGMENT_HOUR_RETENTION_MS + HOUR_MS);
      store.mergeMinutes(new Map([[old, counts]]), now);
      const range = { from: old, to: old + HOUR_MS };
      expect(store.merge(range, "1h").counts.model?.a?.[0]).toBe(1);
      store.expire(now + 2 * HOUR_MS);
      expect(store.merge(range, "1h").counts).toEqual(emptySegments());
    });
  });
});
