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
// Layout. Fingerprints sit in one WITHOUT ROWID table per PARTITION_MS of recording time
// (ledger_<n>, the fingerprint as an 8-byte BLOB primary key), so forgetting is dropping
// a whole table, and the ids kept span at most KEEP_MS + PARTITION_MS. Measured: 14.2
// bytes per id in SQLite pages (test/ledger.test.ts), so one deployment at 1,000 events/s
// keeps 1,000 × (KEEP_MS + PARTITION_MS) ≈ 630 M ids ≈ 9 GB, within the 10 GB of one
// Durable Object.
//
// Lookups. An original carrying the same ts as its copy was recorded no earlier than
// ts − 5 minutes (when it could first have been received), so a copy is looked up only
// in the partitions that end after that: for fresh traffic, the current one. Feedback
// (whose default id, fb_<ref>, repeats on purpose with a new ts) and events whose ts the
// server filled in (ts = received_at, so a resend has a new ts) are looked up in every
// partition.
//
// Collisions. With n fingerprints kept, a new id is taken for a copy with probability
// n / 2^64: at 630 M ids, 3.4e-11 per event, about one event lost in 30 billion.
import { MAX_FUTURE_MS, MAX_LATENESS_MS } from "../../ingest/event-schema";
import { HOUR_MS } from "../../shared/time";

export const PARTITION_MS = 6 * HOUR_MS;
/** How long after recording a fingerprint is kept. */
export const KEEP_MS = MAX_LATENESS_MS + MAX_FUTURE_MS + HOUR_MS;

export interface LedgerEntry {
  /** The id's fingerprint, 16 hex digits (idFingerprint). */
  fingerprint: string;
  /** The earliest time the original of a copy could have been recorded (0: any). */
  since: number;
}

/** The lookup bound of an event: see "Lookups" above. */
export function earliestOriginal(e: { type: string; ts: number }, receivedAt: number): number {
  return e.type === "feedback" || e.ts >= receivedAt ? 0 : e.ts - MAX_FUTURE_MS;
}

const partitionOf = (t: number) => Math.floor(t / PARTITION_MS);
const table = (n: number) => `ledger_${n}`;

export class EventLedger {
  /** Partition numbers, ascending (cached: every lookup needs them). */
  private partitions: number[] = [];

  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS ledger_partitions (n INTEGER PRIMARY KEY)");
    this.partitions = this.sql
      .exec<{ n: number }>("SELECT n FROM ledger_partitions ORDER BY n")
      .toArray()
      .map((r) => r.n);
  }

  /**
   * Positions in `entries` (distinct fingerprints) already recorded: one lookup per
   * partition that may hold any of them. Call inside the transaction that records.
   */
  recorded(entries: readonly LedgerEntry[]): Set<number> {
    const found = new Set<number>();
    const position = new Map(entries.map((e, i) => [e.fingerprint, i]));
    for (const n of this.partitions) {
      const end = (n + 1) * PARTITION_MS;
      const probe = entries.filter((e, i) => e.since < end && !found.has(i));
      if (probe.length === 0) continue;
      const rows = this.sql.exec<{ h: string }>(
        `SELECT lower(hex(h)) AS h FROM ${table(n)} WHERE h IN (SELECT unhex(value) FROM json_each(?1))`,
        JSON.stringify(probe.map((e) => e.fingerprint)),
      );
      for (const { h } of rows) {
        const i = position.get(h);
        if (i !== undefined) found.add(i);
      }
    }
    return found;
  }

  /** Records new fingerprints at `now`. Call inside the transaction that counts them. */
  record(fingerprints: readonly string[], now: number): void {
    if (fingerprints.length === 0) return;
    const n = partitionOf(now);
    if (!this.partitions.includes(n)) {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS ${table(n)} (h BLOB PRIMARY KEY) WITHOUT ROWID`);
      this.sql.exec("INSERT OR IGNORE INTO ledger_partitions (n) VALUES (?)", n);
      // NOTE: the cache is set back by reload() when the transaction rolls back.
      this.partitions = [...this.partitions, n].sort((a, b) => a - b);
    }
    this.sql.exec(
      `INSERT OR IGNORE INTO ${table(n)} (h) SELECT unhex(value) FROM json_each(?1)`,
      JSON.stringify(fingerprints),
    );
  }

  /** Re-reads the partition list (after a rolled-back transaction). */
  reload(): void {
    this.createSchema();
  }

  /** Drops the partitions whose every fingerprint is older than KEEP_MS; returns how many. */
  expire(now: number): number {
    const expired = this.partitions.filter((n) => (n + 1) * PARTITION_MS + KEEP_MS <= now);
    for (const n of expired) {
      this.sql.exec(`DROP TABLE IF EXISTS ${table(n)}`);
      this.sql.exec("DELETE FROM ledger_partitions WHERE n = ?", n);
    }
    this.partitions = this.partitions.filter((n) => !expired.includes(n));
    return expired.length;
  }

  /** When the oldest partition expires (for the object's alarm); null when empty. */
  nextExpiry(): number | null {
    const oldest = this.partitions[0];
    return oldest === undefined ? null : (oldest + 1) * PARTITION_MS + KEEP_MS;
  }

  /** Fingerprints held (for tests and the storage figures). */
  size(): number {
    let total = 0;
    for (const n of this.partitions) {
      total += this.sql.exec<{ c: number }>(`SELECT count(*) AS c FROM ${table(n)}`).one().c;
    }
    return total;
  }
}
