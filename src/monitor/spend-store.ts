// Heavy spenders in a deployment's Durable Object: per UTC hour, one mergeable top-k sketch
// (src/spend/top-k.ts) of cost per hashed user, per hashed session and per value of each
// tag key, fed in the ingest transaction, merged over a range when read. Bounded: K
// counters per sketch, at most MAX_TAG_DIMENSIONS tag keys per hour (later keys that hour
// are not tracked), hours kept SPEND_KEEP_MS. Probe runs are not counted.
import type { ArchivedEvent } from "../archive/layout";
import { HOUR_MS, hourOf } from "../shared/time";
import {
  createTopK,
  decodeTopK,
  encodeTopK,
  type TopK,
  type TopKEntry,
  topKAdd,
  topKMerge,
  topKTop,
} from "../spend/top-k";

/** A range's merged sketch, heaviest first; every `weight` within `decrement` below the truth. */
export interface TopSpenders {
  total: number;
  requests: number;
  decrement: number;
  entries: TopKEntry[];
}

/** Counters per sketch: a key above 1/(K+1) of the range's spend is always listed. */
export const TOP_K = 32;
export const MAX_TAG_DIMENSIONS = 16;
/** Longest range read (7 d) plus the hour in progress. */
export const SPEND_KEEP_MS = 7 * 24 * HOUR_MS + HOUR_MS;

/** "user", "session" or "tag:<key>". */
export type SpendDimension = string;

/** The (dimension, key) pairs an event's cost counts toward. */
function keysOf(e: ArchivedEvent): [SpendDimension, string][] {
  if (e.type !== "interaction") return [];
  const out: [SpendDimension, string][] = [];
  if (e.user_hash) out.push(["user", e.user_hash]);
  if (e.session_hash) out.push(["session", e.session_hash]);
  for (const [key, value] of Object.entries(e.tags ?? {})) out.push([`tag:${key}`, value]);
  return out;
}

export class SpendStore {
  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS spend_top (
        dimension TEXT NOT NULL, hour INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (hour, dimension)) WITHOUT ROWID;`);
  }

  /** Counts the events' cost; call inside the ingest transaction. */
  add(events: readonly ArchivedEvent[], now: number): void {
    const sketches = new Map<string, { dimension: string; hour: number; sketch: TopK }>();
    const tagDimensions = new Map<number, Set<string>>();
    for (const e of events) {
      if (e.type !== "interaction" || e.source === "synthetic") continue;
      const cost = e.cost_usd;
      if (cost === undefined || !(cost > 0)) continue;
      const hour = hourOf(e.ts);
      for (const [dimension, key] of keysOf(e)) {
        const id = `${hour}\u0000${dimension}`;
        let entry = sketches.get(id);
        if (!entry) {
          if (dimension.startsWith("tag:") && !this.roomForTag(hour, dimension, tagDimensions)) {
            continue;
          }
          entry = { dimension, hour, sketch: this.load(hour, dimension) ?? createTopK(TOP_K) };
          sketches.set(id, entry);
        }
        topKAdd(entry.sketch, key, cost);
      }
    }
    for (const { dimension, hour, sketch } of sketches.values()) {
      this.sql.exec(
        "INSERT OR REPLACE INTO spend_top (dimension, hour, data) VALUES (?, ?, ?)",
        dimension,
        hour,
        encodeTopK(sketch),
      );
    }
    if (sketches.size > 0)
      this.sql.exec("DELETE FROM spend_top WHERE hour < ?", now - SPEND_KEEP_MS);
  }

  private roomForTag(hour: number, dimension: string, seen: Map<number, Set<string>>): boolean {
    let held = seen.get(hour);
    if (!held) {
      held = new Set(
        this.sql
          .exec<{ dimension: string }>(
            "SELECT dimension FROM spend_top WHERE hour = ? AND dimension LIKE 'tag:%'",
            hour,
          )
          .toArray()
          .map((r) => r.dimension),
      );
      seen.set(hour, held);
    }
    if (held.has(dimension)) return true;
    if (held.size >= MAX_TAG_DIMENSIONS) return false;
    held.add(dimension);
    return true;
  }

  private load(hour: number, dimension: string): TopK | null {
    const [row] = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM spend_top WHERE hour = ? AND dimension = ?",
        hour,
        dimension,
      )
      .toArray();
    return row ? decodeTopK(row.data) : null;
  }

  /** The dimension's sketches of the hours in [from, to), merged; null when none. */
  top(dimension: string, from: number, to: number): TopSpenders | null {
    const rows = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM spend_top WHERE hour >= ? AND hour < ? AND dimension = ?",
        hourOf(from),
        to,
        dimension,
      )
      .toArray();
    if (rows.length === 0) return null;
    const merged = createTopK(TOP_K);
    for (const row of rows) topKMerge(merged, decodeTopK(row.data));
    // Plain objects only: the answer crosses RPC (a null-prototype record does not clone).
    const { total, requests, decrement } = merged;
    return { total, requests, decrement, entries: topKTop(merged, TOP_K) };
  }

  /** Stored bytes of the sketches of one hour (for the bench's memory figure). */
  hourBytes(hour: number): number {
    return this.sql
      .exec<{ n: number }>(
        "SELECT COALESCE(SUM(length(data) + length(dimension) + 8), 0) AS n FROM spend_top WHERE hour = ?",
        hour,
      )
      .one().n;
  }
}
