// The Durable Object's per-segment outcome counts (src/window/segment-counts.ts) beside its
// time buckets: 1-minute rows for 2 hours and 1-hour rows for 8 days (the 7-day rolling
// baseline and a day of slack), merged and expired like the buckets. Counted from the
// events an ingest accepts; batches that arrive as ready-made buckets (the legacy drain)
// carry no segments. A row is at most ~6 KB (8 dimensions × 21 values × 9 counters) and
// typically ~0.5 KB: 312 rows, ~160 KB typical and ~1.9 MB at the caps per deployment.
import { HOUR_MS, hourOf, minuteOf } from "../shared/time";
import {
  decodeSegments,
  emptySegments,
  encodeSegments,
  mergeSegments,
  type SegmentCounts,
} from "../window/segment-counts";
import type { Resolution, WindowRequest } from "./bucket-store";
import { MINUTE_RETENTION_MS } from "./retention-horizons";

/** Hour rows cover the rolling baseline (7 days) and a day more. */
export const SEGMENT_HOUR_RETENTION_MS = 8 * 24 * HOUR_MS;

export class SegmentStore {
  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS segment_buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (resolution, start));`);
  }

  /** Merges 1-minute segment counts into the stored 1-minute and 1-hour rows. */
  mergeMinutes(minutes: Map<number, SegmentCounts>, now: number): void {
    const hours = new Map<number, SegmentCounts>();
    for (const [start, counts] of minutes) {
      if (start >= now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, counts);
      const hour = hourOf(start);
      hours.set(hour, mergeSegments(hours.get(hour) ?? emptySegments(), counts));
    }
    for (const [hour, counts] of hours) {
      if (hour >= now - SEGMENT_HOUR_RETENTION_MS) this.mergeInto("1h", hour, counts);
    }
  }

  private mergeInto(resolution: Resolution, start: number, delta: SegmentCounts): void {
    const row = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM segment_buckets WHERE resolution = ? AND start = ?",
        resolution,
        start,
      )
      .toArray()[0];
    const merged = mergeSegments(this.decode(row?.data), delta);
    this.sql.exec(
      "INSERT OR REPLACE INTO segment_buckets (resolution, start, data) VALUES (?, ?, ?)",
      resolution,
      start,
      encodeSegments(merged),
    );
  }

  /** The segment counts of a range, at the resolution the bucket store reads it. */
  merge(range: WindowRequest, resolution: Resolution): SegmentCounts {
    const from = resolution === "1m" ? minuteOf(range.from) : hourOf(range.from);
    const out = emptySegments();
    const rows = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM segment_buckets WHERE resolution = ? AND start >= ? AND start < ?",
        resolution,
        from,
        range.to,
      )
      .toArray();
    for (const row of rows) mergeSegments(out, this.decode(row.data));
    return out;
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
