// The Durable Object's time buckets in its SQLite storage: 1-minute buckets for 2 hours and
// 1-hour buckets for 35 days, each a packed Bucket (bucket-storage.ts) with a dirty flag
// the alarm clears once the bucket's rollup is in D1; the hours of past days, once clean,
// sit a day to a row (hour-pack-store.ts). A stored bucket that does not decode
// is moved aside (quarantined_buckets) and reported, so one bad row cannot fail every later
// merge, window read and alarm.
import { HOUR_MS, hourOf, minuteOf } from "../shared/time";
import {
  type Bucket,
  decodeBucket,
  emptyBucket,
  encodeBucket,
  mergeBuckets,
} from "../window/bucket";
import { packBucket, packText, unpackBucket } from "./bucket-storage";
import { dayOf, HourPackStore } from "./hour-pack-store";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "./retention-horizons";

export type Resolution = "1m" | "1h";

export interface WindowRequest {
  from: number;
  to: number;
  /** Defaults to 1-minute buckets when `from` is within their retention, else 1-hour. */
  resolution?: Resolution;
}

/** A stored bucket whose rollup D1 does not have yet. */
export interface DirtyBucket {
  resolution: Resolution;
  start: number;
  data: ArrayBuffer;
  bucket: Bucket;
}

export class BucketStore {
  private readonly packs: HourPackStore;

  /** `owner` names the object in logs (its deployment id, once known). */
  constructor(
    private readonly sql: SqlStorage,
    private readonly owner: () => string | null,
  ) {
    this.packs = new HourPackStore(sql, (day, data, err) => this.setAside("1h", day, data, err));
  }

  createSchema(): void {
    // NOTE: buckets is a rowid table on purpose: WITHOUT ROWID b-trees keep only
    // ~1 KB of a row in the page and spill the rest to a whole overflow page each,
    // which quadrupled storage for typical ~1.3 KB buckets.
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (resolution, start));
      CREATE TABLE IF NOT EXISTS quarantined_buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
        reason TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (resolution, start));`);
    this.packs.createSchema();
  }

  /** Merges 1-minute buckets into the stored 1-minute (recent) and 1-hour buckets. */
  mergeMinutes(minutes: Map<number, Bucket>, now: number): void {
    const hours = new Map<number, Bucket>();
    for (const [start, bucket] of minutes) {
      if (start >= now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, bucket);
      const hour = hourOf(start);
      const acc = hours.get(hour) ?? emptyBucket();
      mergeBuckets(acc, bucket);
      hours.set(hour, acc);
    }
    for (const [hour, bucket] of hours) {
      if (hour >= now - HOUR_RETENTION_MS) this.mergeInto("1h", hour, bucket);
    }
  }

  private mergeInto(resolution: Resolution, start: number, delta: Bucket): void {
    const row = this.sql
      .exec<{ data: ArrayBuffer }>(
        "SELECT data FROM buckets WHERE resolution = ? AND start = ?",
        resolution,
        start,
      )
      .toArray()[0];
    // A packed hour a late event changes becomes a row of its own again (dirty, for its
    // rollup) until the alarm packs it anew.
    const packed = !row && resolution === "1h" ? this.packs.take(start) : null;
    // An undecodable stored bucket is set aside and this batch starts it afresh.
    const decoded = row
      ? this.decodeStored(resolution, start, row.data)
      : packed !== null
        ? this.decodePacked(start, packed)
        : null;
    const bucket = decoded ?? emptyBucket();
    mergeBuckets(bucket, delta);
    // NOTE: an UPDATE of a stored bucket writes 1 row; INSERT OR REPLACE writes 2 (the
    // row and its primary-key index entry), and rows written are what storage bills.
    this.sql.exec(
      row && decoded
        ? "UPDATE buckets SET data = ?3, dirty = 1 WHERE resolution = ?1 AND start = ?2"
        : "INSERT INTO buckets (resolution, start, data, dirty) VALUES (?1, ?2, ?3, 1)",
      resolution,
      start,
      packBucket(bucket),
    );
  }

  /** 1-minute buckets when the range starts within their retention, else 1-hour buckets. */
  merge(range: WindowRequest) {
    const resolution: Resolution =
      range.resolution ?? (range.from >= Date.now() - MINUTE_RETENTION_MS ? "1m" : "1h");
    const from = resolution === "1m" ? minuteOf(range.from) : hourOf(range.from);
    const bucket = emptyBucket();
    let buckets = 0;
    const rows = this.sql
      .exec<{ start: number; data: ArrayBuffer }>(
        "SELECT start, data FROM buckets WHERE resolution = ? AND start >= ? AND start < ?",
        resolution,
        from,
        range.to,
      )
      .toArray();
    const packed = resolution === "1h" ? [...this.packs.hours(from, range.to)] : [];
    const stored = [
      ...rows.map((row) => this.decodeStored(resolution, row.start, row.data)),
      ...packed.map(([start, text]) => this.decodePacked(start, text)),
    ];
    for (const one of stored) {
      if (!one) continue;
      mergeBuckets(bucket, one);
      buckets++;
    }
    const quarantined =
      this.sql
        .exec<{ n: number }>(
          "SELECT count(*) AS n FROM quarantined_buckets WHERE resolution = ? AND start >= ? AND start < ?",
          resolution,
          from,
          range.to,
        )
        .toArray()[0]?.n ?? 0;
    return { from, to: range.to, resolution, buckets, quarantined, bucket };
  }

  /** Whether any bucket waits for its rollup. */
  hasDirty(): boolean {
    return this.sql.exec("SELECT 1 FROM buckets WHERE dirty = 1 LIMIT 1").toArray().length > 0;
  }

  /** The buckets whose rollups D1 does not have yet (undecodable ones quarantined). */
  dirty(): DirtyBucket[] {
    const rows = this.sql
      .exec<{ resolution: Resolution; start: number; data: ArrayBuffer }>(
        "SELECT resolution, start, data FROM buckets WHERE dirty = 1",
      )
      .toArray();
    return rows.flatMap((r) => {
      const bucket = this.decodeStored(r.resolution, r.start, r.data);
      return bucket ? [{ ...r, bucket }] : [];
    });
  }

  /** Marks flushed buckets clean; a bucket changed again during the flush stays dirty. */
  markClean(flushed: readonly DirtyBucket[]): void {
    for (const r of flushed) {
      this.sql.exec(
        "UPDATE buckets SET dirty = 0 WHERE resolution = ? AND start = ? AND data = ?",
        r.resolution,
        r.start,
        r.data,
      );
    }
  }

  /**
   * Moves the clean 1-hour buckets of days that ended more than 2 hours ago (past the
   * 1-minute buckets' reach) into their days' rows. Call it in a transaction.
   */
  pack(now: number): void {
    const before = dayOf(now - MINUTE_RETENTION_MS);
    const rows = this.sql
      .exec<{ start: number; data: ArrayBuffer }>(
        "SELECT start, data FROM buckets WHERE resolution = '1h' AND dirty = 0 AND start < ?",
        before,
      )
      .toArray();
    if (rows.length === 0) return;
    const hours = new Map<number, string>();
    for (const { start, data } of rows) {
      const bucket = this.decodeStored("1h", start, data);
      if (bucket) hours.set(start, encodeBucket(bucket));
    }
    this.packs.add(hours);
    this.sql.exec(
      "DELETE FROM buckets WHERE resolution = '1h' AND dirty = 0 AND start < ?",
      before,
    );
  }

  /** Drops buckets (and quarantined ones) past their retention. */
  expire(now: number): void {
    this.packs.expire(now - HOUR_RETENTION_MS);
    for (const table of ["buckets", "quarantined_buckets"]) {
      this.sql.exec(
        `DELETE FROM ${table} WHERE resolution = '1m' AND start < ?`,
        now - MINUTE_RETENTION_MS - HOUR_MS,
      );
      this.sql.exec(
        `DELETE FROM ${table} WHERE resolution = '1h' AND start < ?`,
        now - HOUR_RETENTION_MS,
      );
    }
  }

  /** A stored bucket, or null when it does not decode (then moved to quarantined_buckets). */
  private decodeStored(resolution: Resolution, start: number, data: ArrayBuffer): Bucket | null {
    try {
      return unpackBucket(data);
    } catch (err) {
      this.setAside(resolution, start, data, err);
      this.sql.exec("DELETE FROM buckets WHERE resolution = ? AND start = ?", resolution, start);
      return null;
    }
  }

  /** A packed hour, or null when it does not decode (then taken out and quarantined). */
  private decodePacked(start: number, text: string): Bucket | null {
    try {
      return decodeBucket(text);
    } catch (err) {
      this.packs.take(start);
      this.setAside("1h", start, packText(text), err);
      return null;
    }
  }

  private setAside(
    resolution: Resolution,
    start: number,
    data: ArrayBuffer | Uint8Array,
    err: unknown,
  ): void {
    const reason = err instanceof Error ? err.message : String(err);
    console.error(
      `DeploymentMonitor ${this.owner()}: ${resolution} bucket at ${start} does not decode (${reason}); quarantined`,
    );
    this.sql.exec(
      "INSERT OR REPLACE INTO quarantined_buckets (resolution, start, data, reason, at) VALUES (?, ?, ?, ?, ?)",
      resolution,
      start,
      data,
      reason,
      Date.now(),
    );
  }
}
