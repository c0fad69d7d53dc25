// Example events per outcome (src/window/example-sample.ts) per deployment and hour, for
// projects that opt in: 1-hour rows kept as long as the segment hour rows (8 days), merged
// like the buckets and expired with them. A row is at most ~63 KB (7 outcomes × 30
// examples: 10 of all, 5 more per segment value), typically a few KB: at most ~12 MB per
// deployment over 192 hours.
// Fed only while the project's keep_examples is on (each ingest request says so); an
// ingest without it empties the store, so turning it off deletes what was kept.
import { hourOf } from "../shared/time";
import {
  EXAMPLE_OUTCOMES,
  EXAMPLES_PER_OUTCOME,
  type ExampleEvent,
  type ExampleOutcome,
  type ExampleSample,
  examplesIn,
  mergeExamples,
} from "../window/example-sample";
import { SEGMENT_HOUR_RETENTION_MS } from "./segment-store";

export const EXAMPLE_RETENTION_MS = SEGMENT_HOUR_RETENTION_MS;

export class ExampleStore {
  /** Whether any row may exist: read once, so an ingest with examples off costs nothing. */
  private held = false;

  constructor(private readonly sql: SqlStorage) {}

  createSchema(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS example_hours (start INTEGER PRIMARY KEY, data TEXT NOT NULL);`);
    this.held = this.sql.exec("SELECT 1 FROM example_hours LIMIT 1").toArray().length > 0;
  }

  /** Deletes every kept example (the project turned keep_examples off). */
  clear(): void {
    if (!this.held) return;
    this.sql.exec("DELETE FROM example_hours");
    this.held = false;
  }

  /** Merges samples keyed by any time in their hour into the stored hour rows. */
  mergeHours(samples: Map<number, ExampleSample>, now: number): void {
    for (const [at, sample] of samples) {
      const start = hourOf(at);
      if (start < now - EXAMPLE_RETENTION_MS) continue;
      const row = this.sql
        .exec<{ data: string }>("SELECT data FROM example_hours WHERE start = ?", start)
        .toArray()[0];
      const merged = mergeExamples(this.decode(row?.data), sample);
      this.held = true;
      this.sql.exec(
        "INSERT OR REPLACE INTO example_hours (start, data) VALUES (?, ?)",
        start,
        JSON.stringify(merged),
      );
    }
  }

  /**
   * Up to `limit` examples of an outcome in [from, to) within one segment ("" for all),
   * newest hour first. Hours past retention are gone: the answer is then shorter or empty.
   */
  examples(
    range: { from: number; to: number },
    outcome: ExampleOutcome,
    dimension: string,
    value: string,
    limit = EXAMPLES_PER_OUTCOME,
  ): ExampleEvent[] {
    const rows = this.sql
      .exec<{ data: string }>(
        "SELECT data FROM example_hours WHERE start >= ? AND start < ? ORDER BY start DESC",
        hourOf(range.from),
        range.to,
      )
      .toArray();
    const out: ExampleEvent[] = [];
    for (const row of rows) {
      const found = examplesIn(this.decode(row.data), outcome, dimension, value);
      for (const e of found) {
        if (out.length < limit && e.ts >= range.from && e.ts < range.to) out.push(e);
      }
    }
    return out;
  }

  expire(now: number): void {
    this.sql.exec("DELETE FROM example_hours WHERE start < ?", now - EXAMPLE_RETENTION_MS);
  }

  /** A row that does not decode counts as none: examples only illustrate an incident. */
  private decode(data: string | undefined): ExampleSample {
    if (data === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(data);
      if (typeof parsed !== "object" || parsed === null) return {};
      const out: ExampleSample = {};
      for (const outcome of EXAMPLE_OUTCOMES) {
        const list = (parsed as Record<string, unknown>)[outcome];
        if (Array.isArray(list)) out[outcome] = list as ExampleEvent[];
      }
      return out;
    } catch {
      return {};
    }
  }
}
