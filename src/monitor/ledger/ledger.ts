// The deployment's ledger of event ids: what makes counting exactly-once. Every event the
// object accepts has its id's 64-bit fingerprint (id-hash.ts) recorded here in the same
// SQLite transaction that counts it; an event whose fingerprint is already recorded is a
// copy (a redelivered message, a client's resend) and is neither counted nor archived.
//
// Horizon. Ingest rejects events whose ts is more than 7 days old or 5 minutes ahead, so
// a copy carrying the original's ts is received at most 7 days + 5 minutes after the
// original was. A fingerprint is therefore kept KEEP_MS (that, plus an hour for the queue
// to deliver the copy) after the object recorded it, and then forgotten.
//
// Layout, written in batches: Durable Object storage is billed per row written, so the
// ledger never writes a row per id.
//   - recent: each accepting call writes ONE row (ledger_runs) holding its fingerprints,
//     which the object also keeps in memory (rebuilt from those rows when it starts);
//   - merged: the alarm, when recent holds MERGE_IDS ids or its oldest is MERGE_AGE_MS
//     old, appends them to the partition of their recording hour (ledger_buckets): the
//     partition's ids split into 2^bits buckets by their leading bits, one row each
//     holding its fingerprints back to back, ~TARGET_BUCKET_IDS per bucket. One merge
//     writes at most one row per bucket, however many ids it moves. A burst far above
//     the rate an hour was sized for starts its next generation, with more buckets,
//     before any bucket passes MAX_BUCKET_IDS.
// Forgetting is deleting a whole partition's rows. Measured: see test/monitor/ledger.test.ts
// (bytes per id in SQLite pages, rows written per id).
//
// Lookups. Recent ids are looked up in memory. An original carrying the same ts as its
// copy was recorded no earlier than ts − 5 minutes (when it could first have been
// received), so a copy is looked up only in the partitions that end after that: for
// fresh traffic, the current one; one bucket each, scanned by SQLite's instr for the
// 8-byte fingerprint at an 8-byte boundary. Feedback and eval events (whose default ids,
// fb_<ref> and ev_<ref>_<names>, repeat on purpose with a new ts) and events whose ts
// the server filled in (ts = received_at, so a resend has a new ts) are looked up in
// every partition.
//
// Collisions. With n fingerprints kept, a new id is taken for a copy with probability
// about n / 2^64: at 630 M ids (1,000 events/s for the horizon), 3.4e-11 per event,
// about one event lost in 30 billion. (instr finds the first match only; a match
// straddling two fingerprints that hides an aligned one is rarer still, ~bucket bytes
// / 2^64.)
import { MAX_FUTURE_MS, MAX_LATENESS_MS } from "../../ingest/field-bounds";
import { HOUR_MS, MINUTE_MS } from "../../shared/time";

export const PARTITION_MS = HOUR_MS;
/** How long after recording a fingerprint is kept. */
export const KEEP_MS = MAX_LATENESS_MS + MAX_FUTURE_MS + HOUR_MS;
/** Recent ids are merged when this many wait, or when the oldest waited MERGE_AGE_MS. */
export const MERGE_IDS = 200_000;
export const MERGE_AGE_MS = 10 * MINUTE_MS;
/** Ids per bucket a partition is sized for (16 KB of fingerprints). */
export const TARGET_BUCKET_IDS = 2_048;
const MAX_BITS = 14;
/**
 * A bucket that would pass this many ids (800 KB; a Durable Object row holds at most
 * 2 MB) starts the hour's next generation, with more buckets: a burst far above the
 * rate the hour was sized for.
 */
export const MAX_BUCKET_IDS = 100_000;
/** Generations per hour: partition number n = hour × GENERATIONS + generation. */
const GENERATIONS = 16;
/** Lookups and recordings per statement, well within a bound value's 2 MB. */
const PER_STATEMENT = 20_000;

export interface LedgerEntry {
  /** The id's fingerprint, 16 hex digits (idFingerprint). */
  fingerprint: string;
  /** The earliest time the original of a copy could have been recorded (0: any). */
  since: number;
}

/** The lookup bound of an event: see "Lookups" above. */
export function earliestOriginal(e: { type: string; ts: number }, receivedAt: number): number {
  return e.type === "feedback" || e.type === "eval" || e.ts >= receivedAt
    ? 0
    : e.ts - MAX_FUTURE_MS;
}

/** The bucket of a fingerprint in a partition of 2^bits buckets: its leading bits. */
export function bucketOf(fingerprint: string, bits: number): number {
  return bits === 0 ? 0 : Number.parseInt(fingerprint.slice(0, 8), 16) >>> (32 - bits);
}

/** Bucket bits for a partition expected to hold `ids`. */
export function bitsFor(ids: number): number {
  const bits = Math.ceil(Math.log2(Math.max(1, ids / TARGET_BUCKET_IDS)));
  return Math.min(MAX_BITS, Math.max(0, bits));
}

const hourOf = (t: number) => Math.floor(t / PARTITION_MS);
/** When a partition's hour ends: its ids were all recorded before. */
const endOf = (n: number) => (Math.floor(n / GENERATIONS) + 1) * PARTITION_MS;
/**
 * A bucket's row: partition × 2^MAX_BITS + bucket, as the rowid. NOTE: a rowid table on
 * purpose: it keeps up to ~4 KB of a row in its leaf page and fills overflow pages
 * whole, where a WITHOUT ROWID table keeps ~1 KB and leaves each row's last overflow
 * page part empty (twice the bytes for 2 KB buckets).
 */
const keyOf = (n: number, bucket: number) => n * 2 ** MAX_BITS + bucket;

interface Partition {
  n: number;
  bits: number;
}

export class EventLedger {
  /** Fingerprints of ledger_runs, in memory. */
  private recent = new Set<string>();
  private oldestRun: number | null = null;
  /** Merged partitions, ascending (cached: every lookup needs them). */
  private partitions: Partition[] = [];

  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS ledger_runs (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, hashes BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS ledger_partitions (
        n INTEGER PRIMARY KEY, bits INTEGER NOT NULL, ids INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS ledger_buckets (key INTEGER PRIMARY KEY, hashes BLOB NOT NULL);`);
    this.reload();
  }

  /** Re-reads what is cached from storage (at start, and after a rolled-back transaction). */
  reload(): void {
    this.partitions = this.sql
      .exec<{ n: number; bits: number }>("SELECT n, bits FROM ledger_partitions ORDER BY n")
      .toArray();
    this.recent = new Set();
    this.oldestRun = null;
    for (const run of this.sql.exec<{ at: number; hashes: string }>(
      "SELECT at, lower(hex(hashes)) AS hashes FROM ledger_runs ORDER BY id",
    )) {
      for (let i = 0; i < run.hashes.length; i += 16) this.recent.add(run.hashes.slice(i, i + 16));
      this.oldestRun = Math.min(this.oldestRun ?? run.at, run.at);
    }
  }

  /**
   * Positions in `entries` (distinct fingerprints) already recorded. Call inside the
   * transaction that records.
   */
  recorded(entries: readonly LedgerEntry[]): Set<number> {
    const found = new Set<number>();
    const probes: [number, number, string][] = [];
    entries.forEach((e, i) => {
      if (this.recent.has(e.fingerprint)) {
        found.add(i);
        return;
      }
      for (const p of this.partitions) {
        if (e.since < endOf(p.n)) {
          probes.push([i, keyOf(p.n, bucketOf(e.fingerprint, p.bits)), e.fingerprint]);
        }
      }
    });
    for (let at = 0; at < probes.length; at += PER_STATEMENT) {
      const rows = this.sql.exec<{ i: number }>(
        `SELECT DISTINCT j.value ->> 0 AS i FROM json_each(?1) j
         JOIN ledger_buckets b ON b.key = j.value ->> 1
         WHERE instr(b.hashes, unhex(j.value ->> 2)) % 8 = 1`,
        JSON.stringify(probes.slice(at, at + PER_STATEMENT)),
      );
      for (const { i } of rows) found.add(i);
    }
    return found;
  }

  /**
   * Records new fingerprints at `now` (one row), inside the transaction that counts them.
   * NOTE: the memory copy changes at once; the caller calls reload() if that transaction
   * rolls back.
   */
  record(fingerprints: readonly string[], now: number): void {
    if (fingerprints.length === 0) return;
    for (let at = 0; at < fingerprints.length; at += PER_STATEMENT) {
      this.sql.exec(
        "INSERT INTO ledger_runs (at, hashes) VALUES (?, unhex(?))",
        now,
        fingerprints.slice(at, at + PER_STATEMENT).join(""),
      );
    }
    for (const f of fingerprints) this.recent.add(f);
    this.oldestRun = Math.min(this.oldestRun ?? now, now);
  }

  /** When recent ids are due to be merged (epoch ms), or null with none waiting. */
  mergeDueAt(): number | null {
    if (this.oldestRun === null) return null;
    return this.recent.size >= MERGE_IDS ? 0 : this.oldestRun + MERGE_AGE_MS;
  }

  /**
   * Appends recent ids to their partitions' buckets and deletes their rows (call inside a
   * transaction; reload() if it rolls back). Returns the rows written to buckets.
   */
  merge(): number {
    const runs = this.sql
      .exec<{ at: number; hashes: string }>(
        "SELECT at, lower(hex(hashes)) AS hashes FROM ledger_runs ORDER BY id",
      )
      .toArray();
    if (runs.length === 0) return 0;
    const byPartition = new Map<number, { ids: string[]; first: number; last: number }>();
    for (const run of runs) {
      const n = hourOf(run.at);
      const group = byPartition.get(n) ?? { ids: [], first: run.at, last: run.at };
      for (let i = 0; i < run.hashes.length; i += 16) group.ids.push(run.hashes.slice(i, i + 16));
      group.first = Math.min(group.first, run.at);
      group.last = Math.max(group.last, run.at);
      byPartition.set(n, group);
    }
    let written = 0;
    for (const [hour, group] of byPartition) {
      // Sized for the rate these ids arrived at, over the whole hour.
      const span = Math.max(MINUTE_MS, group.last - group.first);
      const expected = (group.ids.length * PARTITION_MS) / span;
      let part = this.partitions.filter((p) => Math.floor(p.n / GENERATIONS) === hour).pop();
      if (part && part.n % GENERATIONS < GENERATIONS - 1) {
        const fullest = this.sql
          .exec<{ bytes: number | null }>(
            "SELECT max(length(hashes)) AS bytes FROM ledger_buckets WHERE key >= ? AND key < ?",
            keyOf(part.n, 0),
            keyOf(part.n + 1, 0),
          )
          .one().bytes;
        const adding = (2 * group.ids.length) / 2 ** part.bits;
        if ((fullest ?? 0) / 8 + adding > MAX_BUCKET_IDS) {
          const held = this.sql
            .exec<{ ids: number }>("SELECT ids FROM ledger_partitions WHERE n = ?", part.n)
            .one().ids;
          part = this.createPartition(
            part.n + 1,
            Math.max(expected, 4 * (held + group.ids.length)),
          );
        }
      }
      part ??= this.createPartition(hour * GENERATIONS, expected);
      const n = part.n;
      const byBucket = new Map<number, string[]>();
      for (const id of group.ids) {
        const b = bucketOf(id, part.bits);
        const list = byBucket.get(b);
        if (list) list.push(id);
        else byBucket.set(b, [id]);
      }
      for (const [bucket, ids] of byBucket) {
        this.sql.exec(
          `INSERT INTO ledger_buckets (key, hashes) VALUES (?1, unhex(?2))
           ON CONFLICT (key) DO UPDATE SET hashes = unhex(hex(hashes) || ?2)`,
          keyOf(n, bucket),
          ids.join(""),
        );
        written++;
      }
      this.sql.exec("UPDATE ledger_partitions SET ids = ids + ? WHERE n = ?", group.ids.length, n);
    }
    this.sql.exec("DELETE FROM ledger_runs");
    this.recent = new Set();
    this.oldestRun = null;
    return written;
  }

  private createPartition(n: number, expectedIds: number): Partition {
    const part = { n, bits: bitsFor(expectedIds) };
    this.sql.exec("INSERT INTO ledger_partitions (n, bits, ids) VALUES (?, ?, 0)", n, part.bits);
    this.partitions = [...this.partitions, part].sort((a, b) => a.n - b.n);
    return part;
  }

  /** Deletes the partitions whose every fingerprint is older than KEEP_MS; returns how many. */
  expire(now: number): number {
    const expired = this.partitions.filter((p) => endOf(p.n) + KEEP_MS <= now);
    for (const { n } of expired) {
      this.sql.exec(
        "DELETE FROM ledger_buckets WHERE key >= ? AND key < ?",
        keyOf(n, 0),
        keyOf(n + 1, 0),
      );
      this.sql.exec("DELETE FROM ledger_partitions WHERE n = ?", n);
    }
    this.partitions = this.partitions.filter((p) => !expired.includes(p));
    return expired.length;
  }

  /** When the alarm has ledger work next: a merge, or the oldest partition's expiry. */
  nextExpiry(): number | null {
    const oldest = this.partitions[0];
    const expiry = oldest === undefined ? null : endOf(oldest.n) + KEEP_MS;
    const merge = this.mergeDueAt();
    if (expiry === null) return merge;
    return merge === null ? expiry : Math.min(expiry, merge);
  }

  /** Fingerprints held (for tests and the storage figures). */
  size(): number {
    const merged = this.sql
      .exec<{ n: number | null }>("SELECT sum(ids) AS n FROM ledger_partitions")
      .one().n;
    return this.recent.size + (merged ?? 0);
  }
}
