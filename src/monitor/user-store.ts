// Distinct users per segment (src/window/segment-users.ts) beside the 1-minute buckets, so
// an incident's window can say how many users its segment reaches. Only 1-minute rows are
// kept (2 hours, expired with those buckets): users describe the evaluation window, never
// the baseline. A row is ~1 KB for 14 segments and at most ~12 KB; at most 180 rows (2 hours
// and the hour before expiry): ~180 KB per deployment typical and ~2 MB at the caps.
import { HOUR_MS, minuteOf } from "../shared/time";
import { decodeUsers, encodeUsers, mergeUsers, type SegmentUsers } from "../window/segment-users";
import type { Resolution, WindowRequest } from "./bucket-store";
import { MINUTE_RETENTION_MS } from "./retention-horizons";

export class UserStore {
  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS user_buckets (
        start INTEGER PRIMARY KEY, data TEXT NOT NULL);`);
  }

  /** Merges 1-minute user counts into the stored rows (older minutes are not kept). */
  mergeMinutes(minutes: Map<number, SegmentUsers>, now: number): void {
    for (const [start, users] of minutes) {
      if (start < now - MINUTE_RETENTION_MS) continue;
      const row = this.sql
        .exec<{ data: string }>("SELECT data FROM user_buckets WHERE start = ?", start)
        .toArray()[0];
      this.sql.exec(
        "INSERT OR REPLACE INTO user_buckets (start, data) VALUES (?, ?)",
        start,
        encodeUsers(mergeUsers(this.decode(row?.data), users)),
      );
    }
  }

  /** The users of a range read at minutes; null at hours (not kept). */
  merge(range: WindowRequest, resolution: Resolution): SegmentUsers | null {
    if (resolution !== "1m") return null;
    const out: SegmentUsers = new Map();
    const rows = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM user_buckets WHERE start >= ? AND start < ?",
        minuteOf(range.from),
        range.to,
      )
      .toArray();
    for (const row of rows) mergeUsers(out, this.decode(row.data));
    return out;
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM user_buckets WHERE start < ?", now - MINUTE_RETENTION_MS - HOUR_MS);
  }

  /** A row that does not decode counts as none: users only explain an alert. */
  private decode(data: string | undefined): SegmentUsers {
    if (data === undefined) return new Map();
    try {
      return decodeUsers(data);
    } catch {
      return new Map();
    }
  }
}
