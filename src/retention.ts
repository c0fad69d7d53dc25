// Retention: raw events expire after their project's retention_days; check results
// after 35 days. Rollups and baselines stay. Runs once an hour from the tick.
import { HOUR_MS } from "./monitor/time";

const CHECK_RESULTS_RETENTION_MS = 35 * 24 * HOUR_MS;

export async function expireOldData(db: D1Database, now: number): Promise<void> {
  if (now % HOUR_MS >= 60_000) return;
  await db.batch([
    db
      .prepare(
        `DELETE FROM events WHERE rowid IN (
           SELECT e.rowid FROM events e JOIN projects p ON p.id = e.project_id
           WHERE e.received_at < ?1 - p.retention_days * 86400000
             AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.token = e.claim) LIMIT 50000)`,
      )
      .bind(now),
    db
      .prepare("DELETE FROM check_results WHERE minute < ?1")
      .bind(now - CHECK_RESULTS_RETENTION_MS),
  ]);
}
