// The deployment's release combinations with absolute totals, kept beside its windows so
// the consumer can write D1's release markers idempotently (src/queue/record.ts).
import { type ReleaseCombo, releaseKey } from "./aggregate";
import type { ReleaseTotal } from "./ingest-request";

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
  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS releases (
        key TEXT PRIMARY KEY, model TEXT NOT NULL, provider TEXT NOT NULL,
        prompt_version TEXT NOT NULL, release TEXT NOT NULL, first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID;`);
  }

  /** Adds newly accepted events' combinations (inside the accepting transaction). */
  add(combos: Iterable<ReleaseCombo>): void {
    for (const c of combos) {
      this.sql.exec(
        `INSERT INTO releases (key, model, provider, prompt_version, release, first_seen, last_seen, count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
           last_seen = max(last_seen, excluded.last_seen), count = count + excluded.count`,
        releaseKey(c),
        c.model,
        c.provider,
        c.promptVersion,
        c.release,
        c.firstSeen,
        c.lastSeen,
        c.count,
      );
    }
  }

  /** The totals of the given combinations (by releaseKey), those the object knows. */
  totals(keys: Iterable<string>): ReleaseTotal[] {
    const out: ReleaseTotal[] = [];
    for (const key of keys) {
      const row = this.sql.exec<Row>("SELECT * FROM releases WHERE key = ?", key).toArray()[0];
      if (row) out.push(toTotal(row));
    }
    return out;
  }

  all(): ReleaseTotal[] {
    return this.sql.exec<Row>("SELECT * FROM releases ORDER BY key").toArray().map(toTotal);
  }
}
