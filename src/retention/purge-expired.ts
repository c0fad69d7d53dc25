// Retention: every table that grows with time is purged every tick, in small bounded
// batches under a time budget, after drift evaluation has run (see tick.ts).
//
// A row is kept while its age is at most the retention: it goes once its time is
// strictly before `now - retention` (a row exactly at the boundary stays one more tick).
// Per-project retentions (retention_days for raw events, deliveries, dead letters and
// resolved incidents; rollup_retention_days for 1-hour rollups and release markers) are applied per
// distinct value, so each statement is an index range on the time column.
//
// NOTE: D1 has one writer per database. Each statement deletes at most `batch` rows,
// so ingest writes interleave with the purge instead of waiting behind one big DELETE.
import { syntheticMonitorOf } from "../monitor/monitor-id";
import { DAY_MS, HOUR_MS } from "../shared/time";

/** What syntheticMonitorOf puts before and after a deployment id, for SQL. */
const syntheticAffixes = syntheticMonitorOf("\u0000").split("\u0000");

export const RETENTION = {
  minuteRollupsMs: 48 * HOUR_MS,
  /** Default of a project's rollup_retention_days (1-hour rollups). */
  hourRollupsDays: 400,
  checkResultsMs: 35 * DAY_MS,
  auditMs: 400 * DAY_MS,
  /**
   * Deletion tombstones outlive their deletion by the longest a message can wait in a
   * queue (Queues retain messages up to 14 days), so late events are still dropped.
   */
  deletionTombstoneMs: 14 * DAY_MS,
  /** Dead letters whose project is unknown (malformed bodies) use the default retention. */
  unknownProjectDays: 30,
} as const;

/** Final delivery states: pending and retrying deliveries are never purged. */
const FINAL_DELIVERY = "('delivered', 'failed', 'dead_letter')";

export interface PurgeOptions {
  /** Rows per DELETE statement. */
  batch?: number;
  /** Wall time after which no further batch starts. */
  budgetMs?: number;
  /** Clock for the budget (tests pass a fake one). */
  clock?: () => number;
}

export interface PurgeReport {
  /** Rows deleted per purge step. */
  deleted: Record<string, number>;
  statements: number;
  ms: number;
  /** False when the budget ran out with expired rows left (the next tick continues). */
  complete: boolean;
}

interface Step {
  name: string;
  statement: (limit: number) => D1PreparedStatement;
}

/** The purge steps for `now`, given the distinct per-project retentions in use. */
function purgeSteps(
  db: D1Database,
  now: number,
  eventDays: number[],
  rollupDays: number[],
): Step[] {
  const step = (name: string, sql: string, ...params: unknown[]): Step => ({
    name,
    statement: (limit) => db.prepare(sql).bind(...params, limit),
  });
  const byRetention = eventDays.flatMap((days) => {
    const cutoff = now - days * DAY_MS;
    return [
      // Legacy rows (src/queue/legacy-drain.ts): those under an open claim wait for the drain.
      step(
        "events",
        `DELETE FROM events WHERE rowid IN (
           SELECT e.rowid FROM events e
           WHERE e.received_at < ?1
             AND e.project_id IN (SELECT id FROM projects WHERE retention_days = ?2)
             AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.token = e.claim)
           LIMIT ?3)`,
        cutoff,
        days,
      ),
      step(
        "deliveries",
        `DELETE FROM deliveries WHERE rowid IN (
           SELECT d.rowid FROM deliveries d
           WHERE d.project_id IN (SELECT id FROM projects WHERE retention_days = ?2)
             AND d.created_at < ?1 AND d.status IN ${FINAL_DELIVERY}
           LIMIT ?3)`,
        cutoff,
        days,
      ),
      step(
        "incidents",
        `DELETE FROM incidents WHERE id IN (
           SELECT i.id FROM incidents i
           WHERE i.project_id IN (SELECT id FROM projects WHERE retention_days = ?2)
             AND i.status = 'resolved' AND i.resolved_at < ?1
           LIMIT ?3)`,
        cutoff,
        days,
      ),
    ];
  });
  // A deployment's probe runs roll up under its synthetic sibling's monitor id, which is
  // not a row of `deployments`: both ids are matched, or probe rollups would never expire.
  const rollups1h = rollupDays.map((days) =>
    step(
      "rollups_1h",
      `DELETE FROM rollups WHERE rowid IN (
         SELECT r.rowid FROM rollups r
         WHERE r.resolution = '1h' AND r.bucket_start < ?1
           AND r.deployment_id IN (
             SELECT d.id FROM deployments d JOIN projects p ON p.id = d.project_id
             WHERE p.rollup_retention_days = ?2
             UNION ALL
             SELECT ?3 || d.id || ?4 FROM deployments d JOIN projects p ON p.id = d.project_id
             WHERE p.rollup_retention_days = ?2)
         LIMIT ?5)`,
      now - days * DAY_MS,
      days,
      ...syntheticAffixes,
    ),
  );
  // Release markers annotate the charts drawn from 1-hour rollups: they go with them, once
  // the combination has had no traffic for that long (release-store.ts bounds how many).
  const releases = rollupDays.map((days) =>
    step(
      "releases",
      `DELETE FROM releases WHERE rowid IN (
         SELECT r.rowid FROM releases r
         WHERE r.last_seen < ?1
           AND r.deployment_id IN (SELECT d.id FROM deployments d JOIN projects p
             ON p.id = d.project_id WHERE p.rollup_retention_days = ?2)
         LIMIT ?3)`,
      now - days * DAY_MS,
      days,
    ),
  );
  // Decided release verdicts go with the release markers they judge (docs/verdicts.md).
  const verdicts = rollupDays.map((days) =>
    step(
      "release_verdicts",
      `DELETE FROM release_verdicts WHERE id IN (
         SELECT v.id FROM release_verdicts v
         WHERE v.decided_at < ?1
           AND v.deployment_id IN (SELECT d.id FROM deployments d JOIN projects p
             ON p.id = d.project_id WHERE p.rollup_retention_days = ?2)
         LIMIT ?3)`,
      now - days * DAY_MS,
      days,
    ),
  );
  return [
    ...byRetention,
    ...releases,
    ...verdicts,
    step(
      "rollups_1m",
      `DELETE FROM rollups WHERE rowid IN (
         SELECT rowid FROM rollups WHERE resolution = '1m' AND bucket_start < ?1 LIMIT ?2)`,
      now - RETENTION.minuteRollupsMs,
    ),
    ...rollups1h,
    step(
      "check_results",
      `DELETE FROM check_results WHERE rowid IN (
         SELECT rowid FROM check_results WHERE minute < ?1 LIMIT ?2)`,
      now - RETENTION.checkResultsMs,
    ),
    step(
      "audit_log",
      "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ?1 LIMIT ?2)",
      now - RETENTION.auditMs,
    ),
    step(
      "dashboard_sessions",
      `DELETE FROM dashboard_sessions WHERE hash IN (
         SELECT hash FROM dashboard_sessions WHERE expires_at < ?1 LIMIT ?2)`,
      now,
    ),
    step(
      "deletions",
      `DELETE FROM deletions WHERE id IN (
         SELECT id FROM deletions WHERE completed_at < ?1 LIMIT ?2)`,
      now - RETENTION.deletionTombstoneMs,
    ),
    // A dead letter is a whole queue message; its project is in the body.
    step(
      "dead_letters",
      `DELETE FROM dead_letters WHERE id IN (
         SELECT id FROM dead_letters
         WHERE received_at < ?1 - ?2 * coalesce((SELECT p.retention_days FROM projects p
           WHERE p.id = CASE WHEN json_valid(body) THEN body ->> '$.projectId' END), ?3)
         LIMIT ?4)`,
      now,
      DAY_MS,
      RETENTION.unknownProjectDays,
    ),
  ];
}

/** Deletes expired rows in every table, `batch` rows per statement, until done or out of budget. */
export async function purgeExpired(
  db: D1Database,
  now: number,
  { batch = 500, budgetMs = 10_000, clock = Date.now }: PurgeOptions = {},
): Promise<PurgeReport> {
  const started = clock();
  const { results } = await db
    .prepare(
      `SELECT DISTINCT 'events' AS kind, retention_days AS days FROM projects
       UNION SELECT DISTINCT 'rollups', rollup_retention_days FROM projects`,
    )
    .all<{ kind: string; days: number }>();
  const daysOf = (kind: string) => results.filter((r) => r.kind === kind).map((r) => r.days);
  let pending = purgeSteps(db, now, daysOf("events"), daysOf("rollups"));
  const deleted: Record<string, number> = {};
  let statements = 0;
  while (pending.length > 0 && clock() - started < budgetMs) {
    const full: Step[] = [];
    for (const s of pending) {
      if (clock() - started >= budgetMs) {
        full.push(s);
        continue;
      }
      const { meta } = await s.statement(batch).run();
      statements++;
      deleted[s.name] = (deleted[s.name] ?? 0) + meta.changes;
      // A full batch means there may be more: the step runs again next round.
      if (meta.changes >= batch) full.push(s);
    }
    pending = full;
  }
  return { deleted, statements, ms: clock() - started, complete: pending.length === 0 };
}
