// The deployment's release combinations with absolute totals, kept beside its windows so
// the consumer can write D1's release markers idempotently (src/queue/record.ts).
//
// Bounded: labels come from clients (browsers among them), and every combination becomes a
// D1 row that pages and rules read. A deployment keeps at most MAX_RELEASE_COMBOS; a new
// one past that takes the place of the least recently seen if that one has had no traffic
// for RECENT_MS, and is otherwise folded into the OTHER combination (its counts added
// there). A replaced combination's D1 row stays until retention (src/retention/purge-expired.ts).
import { type ReleaseCombo, releaseKey } from "../window/aggregate";
import type { ReleaseTotal } from "./ingest-request";

export const MAX_RELEASE_COMBOS = 50;
const RECENT_MS = 7 * 86_400_000;
/** Where combinations past the bound are counted: every field reads "(other)". */
export const OTHER_COMBO = {
  model: "(other)",
  provider: "(other)",
  promptVersion: "(other)",
  release: "(other)",
} as const;
const OTHER_KEY = releaseKey(OTHER_COMBO);

type Row = {
  model: string;
  provider: string;
  prompt_version: string;
  release: string;
  first_seen: number;
  last_seen: number;
  count: number;
};

const toTotal = (r: Row): ReleaseTotal => ({
  model: r.model,
  provider: r.provider,
  promptVersion: r.prompt_version,
  release: r.release,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  count: r.count,
});

export class ReleaseStore {
  /**
   * Rows read or written by this instance, by key, so a commit of a known combination
   * asks nothing before its upsert nor for its totals afterwards.
   * Forgotten when a transaction rolls back.
   */
  private readonly rows = new Map<string, Row>();

  constructor(private readonly sql: SqlStorage) {}

  /** Forgets what is kept in memory (after a rolled-back transaction). */
  reload(): void {
    this.rows.clear();
  }

  createSchema(): void {
    this.reload();
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS releases (
        key TEXT PRIMARY KEY, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, release TEXT NOT NULL, first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID;`);
  }

  /** The key a new combination is stored under: its own, or OTHER_KEY when full. */
  private slotFor(key: string, lastSeen: number): string {
    if (this.row(key)) return key;
    const held = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM releases WHERE key != ?", OTHER_KEY)
      .one().n;
    if (held < MAX_RELEASE_COMBOS) return key;
    const oldest = this.sql
      .exec<{ key: string; last_seen: number }>(
        "SELECT key, last_seen FROM releases WHERE key != ? ORDER BY last_seen LIMIT 1",
        OTHER_KEY,
      )
      .toArray()[0];
    if (oldest && oldest.last_seen < lastSeen - RECENT_MS) {
      this.sql.exec("DELETE FROM releases WHERE key = ?", oldest.key);
      this.rows.delete(oldest.key);
      return key;
    }
    return OTHER_KEY;
  }

  /** Adds newly accepted events' combinations (inside the accepting transaction). */
  add(combos: Iterable<ReleaseCombo>): void {
    for (const c of combos) {
      const key = this.slotFor(releaseKey(c), c.lastSeen);
      const fields = key === OTHER_KEY ? OTHER_COMBO : c;
      const was = this.row(key);
      this.sql.exec(
        `INSERT INTO releases (key, model, provider, prompt_version, release, first_seen, last_seen, count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
           last_seen = max(last_seen, excluded.last_seen), count = count + excluded.count`,
        key,
        fields.model,
        fields.provider,
        fields.promptVersion,
        fields.release,
        c.firstSeen,
        c.lastSeen,
        c.count,
      );
      // The row the upsert leaves, as SQLite computes it (no read back).
      const row: Row = was
        ? {
            ...was,
            first_seen: Math.min(was.first_seen, c.firstSeen),
            last_seen: Math.max(was.last_seen, c.lastSeen),
            count: was.count + c.count,
          }
        : {
            model: fields.model,
            provider: fields.provider,
            prompt_version: fields.promptVersion,
            release: fields.release,
            first_seen: c.firstSeen,
            last_seen: c.lastSeen,
            count: c.count,
          };
      this.rows.set(key, row);
    }
  }

  /** The totals of the given combinations (by releaseKey); folded ones answer OTHER's. */
  totals(keys: Iterable<string>): ReleaseTotal[] {
    const out = new Map<string, ReleaseTotal>();
    for (const key of keys) {
      for (const k of [key, OTHER_KEY]) {
        const row = this.row(k);
        if (row) {
          out.set(k, toTotal(row));
          break;
        }
      }
    }
    return [...out.values()];
  }

  /** The combination's row, or undefined when it has none. */
  private row(key: string): Row | undefined {
    const kept = this.rows.get(key);
    if (kept) return kept;
    const row = this.sql.exec<Row>("SELECT * FROM releases WHERE key = ?", key).toArray()[0];
    if (row) this.rows.set(key, row);
    return row;
  }

  all(): ReleaseTotal[] {
    return this.sql.exec<Row>("SELECT * FROM releases ORDER BY key").toArray().map(toTotal);
  }
}
