// DeploymentMonitor: one Durable Object per deployment holding rolling time buckets
// (1-minute for 2 h, 1-hour for 35 days) of counters and sketches in its SQLite
// storage. Applies pre-aggregated batches at most once per claim token, answers
// window snapshots, and flushes rollups to D1 from its alarm.

import { DurableObject } from "cloudflare:workers";
import { faultPoint } from "../fault-points";
import { HOUR_MS, hourOf, minuteOf } from "../shared/time";
import { type Bucket, decodeBucket, emptyBucket, encodeBucket, mergeBuckets } from "./bucket";
import { packBucket, unpackBucket } from "./bucket-storage";
import { flushRollups } from "./rollups";
import { summarizeBucket, type WindowSummary } from "./summary";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS, TOKEN_RETENTION_MS } from "./time";

export type Resolution = "1m" | "1h";

export interface ApplyRequest {
  deploymentId: string;
  /** Claim token: a batch with a token already applied is ignored. */
  token: string;
  /** 1-minute buckets, encoded with encodeBucket. */
  buckets: { start: number; data: string }[];
}

export interface WindowSnapshot {
  deploymentId: string | null;
  from: number;
  to: number;
  resolution: Resolution;
  buckets: number;
  /** Buckets in the range that could not be decoded: left out of the summary, kept aside. */
  quarantined: number;
  summary: WindowSummary;
}

export interface WindowRequest {
  from: number;
  to: number;
  resolution?: Resolution;
}

export interface EncodedWindow {
  from: number;
  to: number;
  resolution: Resolution;
  /** Buckets that had data in the range. */
  buckets: number;
  /** Buckets in the range that could not be decoded and were left out. */
  quarantined: number;
  /** The merged bucket, encodeBucket() output. */
  data: string;
}

const FLUSH_DELAY_MS = 30_000;

export class DeploymentMonitor extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => this.createSchema());
  }

  private createSchema(): void {
    // NOTE: buckets is a rowid table on purpose: WITHOUT ROWID b-trees keep only
    // ~1 KB of a row in the page and spill the rest to a whole overflow page each,
    // which quadrupled storage for typical ~1.3 KB buckets.
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
        dirty INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (resolution, start));
      CREATE TABLE IF NOT EXISTS quarantined_buckets (
        resolution TEXT NOT NULL, start INTEGER NOT NULL, data BLOB NOT NULL,
        reason TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (resolution, start));
      CREATE TABLE IF NOT EXISTS applied_tokens (token TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
  }

  /**
   * Deletes everything this object stores (deployment or project deletion). The empty
   * tables are re-created: this instance may live on and serve a new deployment of the
   * same name. NOTE: deleteAll() leaves the alarm, so it is deleted first.
   */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.createSchema();
  }

  /** Merges a pre-aggregated batch; returns false when the token was already applied. */
  async apply(req: ApplyRequest): Promise<{ applied: boolean }> {
    const seen = this.sql.exec("SELECT 1 FROM applied_tokens WHERE token = ?", req.token).toArray();
    if (seen.length > 0) return { applied: false };
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('deployment_id', ?)",
        req.deploymentId,
      );
      const hours = new Map<number, Bucket>();
      for (const { start, data } of req.buckets) {
        const bucket = decodeBucket(data);
        if (start >= now - MINUTE_RETENTION_MS) this.mergeInto("1m", start, bucket);
        faultPoint("monitor.apply", req.deploymentId);
        const hour = hourOf(start);
        const acc = hours.get(hour) ?? emptyBucket();
        mergeBuckets(acc, bucket);
        hours.set(hour, acc);
      }
      for (const [hour, bucket] of hours) {
        if (hour >= now - HOUR_RETENTION_MS) this.mergeInto("1h", hour, bucket);
      }
      this.sql.exec("INSERT INTO applied_tokens (token, at) VALUES (?, ?)", req.token, now);
    });
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(now + FLUSH_DELAY_MS);
    }
    return { applied: true };
  }

  private mergeInto(resolution: Resolution, start: number, delta: Bucket): void {
    const row = this.sql
      .exec<{ data: ArrayBuffer }>(
        "SELECT data FROM buckets WHERE resolution = ? AND start = ?",
        resolution,
        start,
      )
      .toArray()[0];
    // An undecodable stored bucket is set aside and this batch starts it afresh.
    const bucket = (row && this.decodeStored(resolution, start, row.data)) ?? emptyBucket();
    mergeBuckets(bucket, delta);
    this.sql.exec(
      "INSERT OR REPLACE INTO buckets (resolution, start, data, dirty) VALUES (?, ?, ?, 1)",
      resolution,
      start,
      packBucket(bucket),
    );
  }

  /** Merges the buckets covering [from, to) into one window summary. */
  async snapshot(range: { from: number; to: number }): Promise<WindowSnapshot> {
    const { bucket, ...window } = this.merge(range);
    return { deploymentId: this.deploymentId(), ...window, summary: summarizeBucket(bucket) };
  }

  /**
   * Merged buckets (encoded) for several ranges at once: what drift evaluation needs
   * (the evaluation window, the baseline, the same hour last week) in one RPC.
   */
  async windows(ranges: WindowRequest[]): Promise<EncodedWindow[]> {
    return ranges.map((range) => {
      const { bucket, ...window } = this.merge(range);
      return { ...window, data: encodeBucket(bucket) };
    });
  }

  /** 1-minute buckets when the range starts within their retention, else 1-hour buckets. */
  private merge(range: WindowRequest) {
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
    for (const row of rows) {
      const stored = this.decodeStored(resolution, row.start, row.data);
      if (!stored) continue;
      mergeBuckets(bucket, stored);
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

  /**
   * A stored bucket, or null when it does not decode. Such a bucket is moved to
   * quarantined_buckets (kept for inspection until its retention ends) and reported, so
   * that one bad row cannot fail every later apply, window read and alarm.
   */
  private decodeStored(resolution: Resolution, start: number, data: ArrayBuffer): Bucket | null {
    try {
      return unpackBucket(data);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      console.error(
        `DeploymentMonitor ${this.deploymentId()}: ${resolution} bucket at ${start} does not decode (${reason}); quarantined`,
      );
      this.sql.exec(
        "INSERT OR REPLACE INTO quarantined_buckets (resolution, start, data, reason, at) VALUES (?, ?, ?, ?, ?)",
        resolution,
        start,
        data,
        reason,
        Date.now(),
      );
      this.sql.exec("DELETE FROM buckets WHERE resolution = ? AND start = ?", resolution, start);
      return null;
    }
  }

  /** The sequential detector's state (JSON, src/alerts/evaluation/sequential.ts); null before the first. */
  async sequentialState(): Promise<string | null> {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'sequential'")
      .toArray()[0];
    return row?.value ?? null;
  }

  async saveSequentialState(state: string): Promise<void> {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('sequential', ?)", state);
  }

  /** Bytes used by this object's SQLite storage (for the storage bound). */
  async storageBytes(): Promise<number> {
    return this.ctx.storage.sql.databaseSize;
  }

  private deploymentId(): string | null {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'deployment_id'")
      .toArray()[0];
    return row?.value ?? null;
  }

  /** Flushes changed buckets to D1 rollups and drops expired buckets and tokens. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const deploymentId = this.deploymentId();
    if (deploymentId) {
      const dirty = this.sql
        .exec<{ resolution: Resolution; start: number; data: ArrayBuffer }>(
          "SELECT resolution, start, data FROM buckets WHERE dirty = 1",
        )
        .toArray();
      const readable = dirty.flatMap((r) => {
        const bucket = this.decodeStored(r.resolution, r.start, r.data);
        return bucket ? [{ ...r, bucket }] : [];
      });
      await flushRollups(this.env.DB, deploymentId, readable, now);
      for (const r of readable) {
        // A bucket changed again during the flush stays dirty: compare the data.
        this.sql.exec(
          "UPDATE buckets SET dirty = 0 WHERE resolution = ? AND start = ? AND data = ?",
          r.resolution,
          r.start,
          r.data,
        );
      }
    }
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
    this.sql.exec("DELETE FROM applied_tokens WHERE at < ?", now - TOKEN_RETENTION_MS);
  }
}
