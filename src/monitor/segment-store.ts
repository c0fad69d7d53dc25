// The Durable Object's per-segment outcome counts (src/window/segment-counts.ts) beside its
// time buckets: 1-minute rows for 2 hours and 1-hour rows for 8 days (the 7-day rolling
// baseline and a day of slack), merged and expired like the buckets. Counted from the
// events an ingest accepts; batches that arrive as ready-made buckets (the legacy drain)
// carry no segments. A row is at most ~7 KB (9 dimensions × 21 values × 9 counters) and
// typically ~0.5 KB: 312 rows, ~160 KB typical and ~2.2 MB at the caps per deployment.
// The same row holds the segments' moments of latency, lengths, the retrieval score, the
// cost and up to 4 evals (src/window/segment-moments.ts, column `moments`): ~1.7 KB typical
// (~2.1 KB with cost, ~3.2 KB with cost, retrieval and 2 evals), ~53 KB at every cap, so
// ~0.5–1 MB typical and ~16.5 MB at the caps more; no row more is written per commit.
import { HOUR_MS, hourOf, minuteOf } from "../shared/time";
import {
  decodeSegments,
  emptySegments,
  encodeSegments,
  mergeSegments,
  type SegmentCounts,
} from "../window/segment-counts";
import {
  decodeMoments,
  emptyMoments,
  encodeMoments,
  mergeMoments,
  type SegmentMoments,
} from "../window/segment-moments";
import type { Resolution, WindowRequest } from "./bucket-store";
import { MINUTE_RETENTION_MS } from "./retention-horizons";

/** Hour rows cover the rolling baseline (7 days) and a day more. */
export const SEGMENT_HOUR_RETENTION_MS = 8 * 24 * HOUR_MS;

export class SegmentStore {
  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS segment_buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL, moments TEXT,
        PRIMARY KEY (resolution, start));`);
    // Objects created before the moments column: add it (NULL reads as no moments).
    const columns = this.sql.exec<{ name: string }>("PRAGMA table_info(segment_buckets)").toArray();
    if (!columns.some((c) => c.name === "moments")) {
      this.sql.exec("ALTER TABLE segment_buckets ADD COLUMN moments TEXT");
    }
  }

  /** Merges 1-minute segment counts (and moments) into the stored 1-minute and 1-hour rows. */
  mergeMinutes(
    minutes: Map<number, SegmentCounts>,
    now: number,
    moments: Map<number, SegmentMoments> = new Map(),
  ): void {
    const hours = new Map<number, { counts: SegmentCounts; moments: SegmentMoments }>();
    for (const [start, counts] of minutes) {
      const m = moments.get(start) ?? emptyMoments();
      if (start >= now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, counts, m);
      const hour = hourOf(start);
      const h = hours.get(hour) ?? { counts: emptySegments(), moments: emptyMoments() };
      mergeSegments(h.counts, counts);
      mergeMoments(h.moments, m);
      hours.set(hour, h);
    }
    for (const [hour, h] of hours) {
      if (hour >= now - SEGMENT_HOUR_RETENTION_MS) this.mergeInto("1h", hour, h.counts, h.moments);
    }
  }

  private mergeInto(
    resolution: Resolution,
    start: number,
    delta: SegmentCounts,
    deltaMoments: SegmentMoments,
  ): void {
    const row = this.sql
      .exec<{ data: string; moments: string | null }>(
        "SELECT data, moments FROM segment_buckets WHERE resolution = ? AND start = ?",
        resolution,
        start,
      )
      .toArray()[0];
    const merged = mergeSegments(this.decode(row?.data), delta);
    const moments = mergeMoments(this.decodeMoments(row?.moments), deltaMoments);
    this.sql.exec(
      "INSERT OR REPLACE INTO segment_buckets (resolution, start, data, moments) VALUES (?, ?, ?, ?)",
      resolution,
      start,
      encodeSegments(merged),
      encodeMoments(moments),
    );
  }

  /** The segment counts and moments of a range, at the resolution the bucket store reads it. */
  merge(
    range: WindowRequest,
    resolution: Resolution,
  ): { counts: SegmentCounts; moments: SegmentMoments } {
    const from = resolution === "1m" ? minuteOf(range.from) : hourOf(range.from);
    const counts = emptySegments();
    const moments = emptyMoments();
    const rows = this.sql
      .exec<{ data: string; moments: string | null }>(
        "SELECT data, moments FROM segment_buckets WHERE resolution = ? AND start >= ? AND start < ?",
        resolution,
        from,
        range.to,
      )
      .toArray();
    for (const row of rows) {
      mergeSegments(counts, this.decode(row.data));
      mergeMoments(moments, this.decodeMoments(row.moments));
    }
    return { counts, moments };
  }

  expire(now: number): void {
    this.sql.exec(
      "DELETE FROM segment_buckets WHERE resolution = '1m' AND start < ?",
      now - MINUTE_RETENTION_MS - HOUR_MS,
    );
    this.sql.exec(
      "DELETE FROM segment_buckets WHERE resolution = '1h' AND start < ?",
      now - SEGMENT_HOUR_RETENTION_MS,
    );
  }

  private decodeMoments(text: string | null | undefined): SegmentMoments {
    try {
      return decodeMoments(text ?? "");
    } catch {
      return emptyMoments();
    }
  }

  /** Stored counts; a row that does not decode counts as none (it only explains alerts). */
  private decode(data: string | undefined): SegmentCounts {
    if (data === undefined) return emptySegments();
    try {
      return decodeSegments(data);
    } catch {
      return emptySegments();
    }
  }
}
