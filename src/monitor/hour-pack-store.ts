// The DeploymentMonitor's 1-hour buckets of past days, a day to a row (hour-pack.ts).
// BucketStore moves an hour here once its day ended more than 2 hours ago and its rollup
// is in D1, and takes it back out as a row of its own when a late event changes it: an
// hour is in exactly one place, so nothing is counted twice.
import { DAY_MS } from "../shared/time";
import { type HourTexts, packHours, unpackHours } from "./hour-pack";

/** The start of the UTC day holding `ts`. */
export const dayOf = (ts: number) => Math.floor(ts / DAY_MS) * DAY_MS;

/** Sets aside a stored row that does not decode (BucketStore's quarantine). */
export type SetAside = (start: number, data: ArrayBuffer, err: unknown) => void;

export class HourPackStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly setAside: SetAside,
  ) {}

  createSchema(): void {
    // NOTE: an INTEGER PRIMARY KEY is the rowid: no index b-tree beside the table.
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS hour_packs (day INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    );
  }

  /** The packed hours that start in [from, to). */
  hours(from: number, to: number): HourTexts {
    const found: HourTexts = new Map();
    for (const hours of this.days(dayOf(from), to).values()) {
      for (const [start, text] of hours) if (start >= from && start < to) found.set(start, text);
    }
    return found;
  }

  /** Takes one hour out of its day's row (rewritten, or deleted when empty): its text, or null. */
  take(start: number): string | null {
    const day = dayOf(start);
    const hours = this.days(day, day + 1).get(day);
    const text = hours?.get(start);
    if (!hours || text === undefined) return null;
    hours.delete(start);
    this.write(day, hours);
    return text;
  }

  /** Adds hours to their days' rows. */
  add(hours: ReadonlyMap<number, string>): void {
    const byDay = new Map<number, [number, string][]>();
    for (const entry of hours) {
      const day = dayOf(entry[0]);
      byDay.set(day, [...(byDay.get(day) ?? []), entry]);
    }
    for (const [day, entries] of byDay) {
      const packed = this.days(day, day + 1).get(day) ?? new Map<number, string>();
      for (const [start, text] of entries) packed.set(start, text);
      this.write(day, packed);
    }
  }

  /** Drops the packed hours that start before `cutoff`. */
  expire(cutoff: number): void {
    this.sql.exec("DELETE FROM hour_packs WHERE day <= ?", cutoff - DAY_MS);
    const day = dayOf(cutoff);
    const hours = this.days(day, day + 1).get(day);
    const expired = [...(hours?.keys() ?? [])].filter((start) => start < cutoff);
    if (!hours || expired.length === 0) return;
    for (const start of expired) hours.delete(start);
    this.write(day, hours);
  }

  /** The rows of days starting in [fromDay, to), decoded; a row that does not decode is set aside. */
  private days(fromDay: number, to: number): Map<number, HourTexts> {
    const rows = this.sql
      .exec<{ day: number; data: ArrayBuffer }>(
        "SELECT day, data FROM hour_packs WHERE day >= ? AND day < ?",
        fromDay,
        to,
      )
      .toArray();
    const days = new Map<number, HourTexts>();
    for (const { day, data } of rows) {
      try {
        days.set(day, unpackHours(data));
      } catch (err) {
        this.setAside(day, data, err);
        this.sql.exec("DELETE FROM hour_packs WHERE day = ?", day);
      }
    }
    return days;
  }

  private write(day: number, hours: HourTexts): void {
    if (hours.size === 0) this.sql.exec("DELETE FROM hour_packs WHERE day = ?", day);
    else
      this.sql.exec(
        "INSERT OR REPLACE INTO hour_packs (day, data) VALUES (?, ?)",
        day,
        packHours(hours),
      );
  }
}
