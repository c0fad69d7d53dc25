// The deployment's archive outbox: accepted events wait here, in the same transaction
// that counts them, until the object's alarm writes them to R2 (src/archive/layout.ts).
//
// Exactly once. Each accepted event gets the next archive sequence number. A flush first
// ASSIGNS a chunk (one UTC hour of the events' ts, its first and last sequence number)
// and commits that, then PUTS the object named by the chunk, then DELETES the chunk's
// rows. Rows are never added to an assigned chunk, so a flush that dies after assigning
// or after the put is redone from the assignment: the same rows, the same bytes, the same
// key. Every accepted event lands in exactly one object.
import {
  type ArchivedEvent,
  type DeploymentRef,
  encodeArchiveLines,
  objectKey,
  syntheticObjectKey,
} from "../archive/layout";
import { faultPoint } from "../fault-points";
import { hourOf, MINUTE_MS } from "../shared/time";

/** Pending text past which the object flushes at once (and the most one object holds). */
export const ARCHIVE_CHUNK_BYTES = 4_000_000;
/** Text per outbox row, within a Durable Object row's 2 MB even at 3 UTF-8 bytes a character. */
const ROW_CHARS = 500_000;
/** The longest accepted events wait before their object is written. */
export const ARCHIVE_DELAY_MS = 5 * MINUTE_MS;

/** Where a monitor's objects go: its deployment, and whether it is the synthetic sibling. */
export interface ArchiveTarget extends DeploymentRef {
  synthetic: boolean;
}

/** What waits in the outbox unassigned, and the chunks assigned but not yet written. */
export interface OutboxPending {
  bytes: number;
  oldest: number | null;
  chunks: number;
}

type Chunk = {
  id: number;
  hour: number;
  first_seq: number;
  last_seq: number;
};

export class ArchiveOutbox {
  /**
   * pending()'s figures, kept up to date by append and read again after anything else
   * changes the rows (null). Every commit asks for them (the object's alarm time): a
   * query summing the waiting rows grew with them, to most of a commit's CPU after a
   * few minutes of single-event traffic.
   */
  private waiting: OutboxPending | null = null;
  /** The next archive sequence number, kept like `waiting` (null: read it). */
  private next: number | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly sql = storage.sql,
  ) {}

  createSchema(): void {
    this.reload();
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS archive_outbox (
        first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, hour INTEGER NOT NULL,
        bytes INTEGER NOT NULL, at INTEGER NOT NULL, lines TEXT NOT NULL, chunk INTEGER);
      CREATE TABLE IF NOT EXISTS archive_chunks (
        id INTEGER PRIMARY KEY, hour INTEGER NOT NULL,
        first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS archive_seq (id INTEGER PRIMARY KEY CHECK (id = 0), next INTEGER NOT NULL);`);
  }

  /** Queues accepted events (inside the transaction that counts them): one row per hour. */
  append(events: readonly ArchivedEvent[], now: number): void {
    if (events.length === 0) return;
    const byHour = new Map<number, string[]>();
    for (const e of events) {
      const hour = hourOf(e.ts);
      const lines = byHour.get(hour);
      if (lines) lines.push(JSON.stringify(e));
      else byHour.set(hour, [JSON.stringify(e)]);
    }
    let next = this.lastSeq() + 1;
    for (const [hour, lines] of [...byHour].sort(([a], [b]) => a - b)) {
      for (let from = 0; from < lines.length; ) {
        let to = from;
        let chars = 0;
        while (to < lines.length && (to === from || chars + (lines[to]?.length ?? 0) < ROW_CHARS)) {
          chars += (lines[to]?.length ?? 0) + 1;
          to++;
        }
        const text = lines.slice(from, to).join("\n");
        this.sql.exec(
          "INSERT INTO archive_outbox (first_seq, last_seq, hour, bytes, at, lines) VALUES (?, ?, ?, ?, ?, ?)",
          next,
          next + (to - from) - 1,
          hour,
          text.length,
          now,
          text,
        );
        next += to - from;
        from = to;
        if (this.waiting) {
          this.waiting.bytes += text.length;
          this.waiting.oldest = Math.min(this.waiting.oldest ?? now, now);
        }
      }
    }
    this.sql.exec("INSERT OR REPLACE INTO archive_seq (id, next) VALUES (0, ?)", next);
    this.next = next;
  }

  /** Forgets the kept figures: the transaction that appended was rolled back. */
  reload(): void {
    this.waiting = null;
    this.next = null;
  }

  /**
   * The events appended after archive sequence number `after`, whole rows in order, and
   * the last sequence number they reach (`after` when none): what the windows have not
   * counted yet (monitor-core.ts, "Windows counted later").
   */
  since(after: number): { events: ArchivedEvent[]; last: number } {
    const events: ArchivedEvent[] = [];
    let last = after;
    for (const row of this.sql.exec<{ last_seq: number; lines: string }>(
      "SELECT last_seq, lines FROM archive_outbox WHERE first_seq > ? ORDER BY first_seq",
      after,
    )) {
      for (const line of row.lines.split("\n")) events.push(JSON.parse(line) as ArchivedEvent);
      last = row.last_seq;
    }
    return { events, last };
  }

  /** The last archive sequence number given out (0 before the first). */
  lastSeq(): number {
    this.next ??=
      this.sql.exec<{ next: number }>("SELECT next FROM archive_seq WHERE id = 0").toArray()[0]
        ?.next ?? 1;
    return this.next - 1;
  }

  /** Bytes and age of what waits unassigned. */
  pending(): OutboxPending {
    this.waiting ??= this.read();
    return { ...this.waiting };
  }

  private read(): OutboxPending {
    const row = this.sql
      .exec<{ bytes: number | null; oldest: number | null }>(
        "SELECT sum(bytes) AS bytes, min(at) AS oldest FROM archive_outbox WHERE chunk IS NULL",
      )
      .one();
    const chunks = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM archive_chunks").one().n;
    return { bytes: row.bytes ?? 0, oldest: row.oldest, chunks };
  }

  /** When the next flush is due (epoch ms), or null with nothing waiting. */
  dueAt(): number | null {
    const { bytes, oldest, chunks } = this.pending();
    if (chunks > 0 || bytes >= ARCHIVE_CHUNK_BYTES) return 0;
    return oldest === null ? null : oldest + ARCHIVE_DELAY_MS;
  }

  /**
   * Writes waiting events to R2: chunks already assigned first (a flush that died), then,
   * when due or `all`, everything else. Returns the number of objects written.
   * `beforeAssign` runs right before each new chunk is assigned, with no await between:
   * the object's fold, so no row is archived and deleted before the windows counted it.
   */
  async flush(
    bucket: R2Bucket,
    target: ArchiveTarget,
    now: number,
    all = false,
    beforeAssign: () => void = () => {},
  ): Promise<number> {
    let written = 0;
    const due = all || (this.dueAt() ?? Number.POSITIVE_INFINITY) <= now;
    for (;;) {
      let chunk = this.assigned();
      if (!chunk && due) {
        beforeAssign();
        chunk = this.assign();
      }
      if (!chunk) return written;
      const rows = this.sql
        .exec<{ lines: string }>(
          "SELECT lines FROM archive_outbox WHERE chunk = ? ORDER BY first_seq",
          chunk.id,
        )
        .toArray();
      const key = (target.synthetic ? syntheticObjectKey : objectKey)(
        target,
        chunk.hour,
        chunk.first_seq,
        chunk.last_seq,
      );
      faultPoint("archive.put", key);
      await bucket.put(key, encodeArchiveLines(rows.map((r) => r.lines)), {
        httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
      });
      faultPoint("archive.written", key);
      this.waiting = null;
      this.storage.transactionSync(() => {
        this.sql.exec("DELETE FROM archive_outbox WHERE chunk = ?", chunk.id);
        this.sql.exec("DELETE FROM archive_chunks WHERE id = ?", chunk.id);
      });
      written++;
    }
  }

  private assigned(): Chunk | null {
    return (
      this.sql
        .exec<Chunk>("SELECT id, hour, first_seq, last_seq FROM archive_chunks ORDER BY id LIMIT 1")
        .toArray()[0] ?? null
    );
  }

  /** Assigns the oldest hour's waiting rows (up to ARCHIVE_CHUNK_BYTES) to a new chunk. */
  private assign(): Chunk | null {
    this.waiting = null;
    return this.storage.transactionSync(() => {
      const first = this.sql
        .exec<{ hour: number }>(
          "SELECT hour FROM archive_outbox WHERE chunk IS NULL ORDER BY first_seq LIMIT 1",
        )
        .toArray()[0];
      if (!first) return null;
      const rows = this.sql
        .exec<{ first_seq: number; last_seq: number; bytes: number }>(
          "SELECT first_seq, last_seq, bytes FROM archive_outbox WHERE chunk IS NULL AND hour = ? ORDER BY first_seq",
          first.hour,
        )
        .toArray();
      const taken: typeof rows = [];
      let bytes = 0;
      for (const row of rows) {
        if (taken.length > 0 && bytes + row.bytes > ARCHIVE_CHUNK_BYTES) break;
        taken.push(row);
        bytes += row.bytes;
      }
      const firstSeq = taken[0]?.first_seq ?? 0;
      const lastSeq = taken[taken.length - 1]?.last_seq ?? 0;
      const { id } = this.sql
        .exec<{ id: number }>(
          "INSERT INTO archive_chunks (hour, first_seq, last_seq) VALUES (?, ?, ?) RETURNING id",
          first.hour,
          firstSeq,
          lastSeq,
        )
        .one();
      this.sql.exec(
        "UPDATE archive_outbox SET chunk = ? WHERE chunk IS NULL AND hour = ? AND first_seq BETWEEN ? AND ?",
        id,
        first.hour,
        firstSeq,
        lastSeq,
      );
      return { id, hour: first.hour, first_seq: firstSeq, last_seq: lastSeq };
    });
  }
}
