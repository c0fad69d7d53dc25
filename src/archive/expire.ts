// Archive retention: deletes a deployment's R2 objects (layout.ts) once their UTC hour
// has ended at or before now − the project's retention_days, so every event in them is
// older than the retention (the rule of src/retention/purge-expired.ts: gone once strictly before the
// cutoff). An hour that straddles the cutoff stays whole until it has ended.
//
// A deployment is due when that boundary (the cutoff rounded down to the hour) passes
// its `archive_expiry.expired_to`, so about once an hour. A visit lists the deployment's prefix
// from its start: keys sort by hour, so expired objects come first and the visit stops
// at the first live one. Listing from the start, not from the last boundary, also finds
// an object written late into an hour that had already expired.
//
// Bounded per tick: at most `deployments` visits and `objects` deletions, and no list
// starts after `budgetMs`. The most overdue deployments go first; a visit cut short
// leaves the deployment due, so the next tick continues it.
// Cost: one R2 list (a class A operation) per deployment per hour; deletes are free.
import { DAY_MS, HOUR_MS } from "../shared/time";
import { deploymentPrefix, hourOfKey } from "./layout";

/** R2 accepts at most 1,000 keys per list page and per delete call. */
const R2_PAGE = 1000;

export interface ArchiveExpiryOptions {
  /** Deployments visited per tick. */
  deployments?: number;
  /** Objects deleted per tick. */
  objects?: number;
  /** Wall time after which no further list starts. */
  budgetMs?: number;
  clock?: () => number;
}

export interface ArchiveExpiryReport {
  /** Deployments whose expired objects are all gone now. */
  finished: number;
  deleted: number;
  lists: number;
  /** False when a bound stopped the tick with due deployments left. */
  complete: boolean;
}

interface Due {
  id: string;
  project_id: string;
  environment: string;
  slug: string;
  boundary: number;
}

/**
 * The keys at the head of a sorted listing whose hour ended at or before `boundary`, and
 * whether the listing reached a live object (nothing further can have expired). Keys that
 * are not archive object keys are neither: they are skipped.
 */
export function expiredHead(
  keys: readonly string[],
  boundary: number,
): { expired: string[]; live: boolean } {
  const expired: string[] = [];
  for (const key of keys) {
    const hour = hourOfKey(key);
    if (Number.isNaN(hour)) continue;
    if (hour + HOUR_MS > boundary) return { expired, live: true };
    expired.push(key);
  }
  return { expired, live: false };
}

/** The deployments whose archive has hours to expire, most overdue first. */
async function dueDeployments(db: D1Database, now: number, limit: number): Promise<Due[]> {
  const boundary = `CAST((?1 - p.retention_days * ${DAY_MS}) / ${HOUR_MS} AS INTEGER) * ${HOUR_MS}`;
  // NOTE: a scan of deployments per tick (D1 bills $0.001 per million rows read).
  const { results } = await db
    .prepare(
      `SELECT d.id, d.project_id, d.environment, d.slug, ${boundary} AS boundary
       FROM deployments d JOIN projects p ON p.id = d.project_id
         LEFT JOIN archive_expiry x ON x.deployment_id = d.id
       WHERE coalesce(x.expired_to, 0) < ${boundary}
       ORDER BY coalesce(x.expired_to, 0) LIMIT ?2`,
    )
    .bind(now, limit)
    .all<Due>();
  return results;
}

/** Deletes expired archive objects of due deployments, within the bounds. */
export async function expireArchive(
  env: { DB: D1Database; ARCHIVE: R2Bucket },
  now: number,
  {
    deployments = 100,
    objects = 5_000,
    budgetMs = 5_000,
    clock = Date.now,
  }: ArchiveExpiryOptions = {},
): Promise<ArchiveExpiryReport> {
  const started = clock();
  const report: ArchiveExpiryReport = { finished: 0, deleted: 0, lists: 0, complete: false };
  const stopped = () => clock() - started >= budgetMs || report.deleted >= objects;

  /** True once every expired object of `d` is gone; false when a bound stopped it. */
  async function visit(d: Due): Promise<boolean> {
    const prefix = deploymentPrefix({
      projectId: d.project_id,
      environment: d.environment,
      slug: d.slug,
    });
    let startAfter: string | undefined;
    for (;;) {
      if (stopped()) return false;
      const page = await env.ARCHIVE.list({
        prefix,
        startAfter,
        limit: Math.min(R2_PAGE, objects - report.deleted),
      });
      report.lists++;
      const keys = page.objects.map((o) => o.key);
      const { expired, live } = expiredHead(keys, d.boundary);
      if (expired.length > 0) await env.ARCHIVE.delete(expired);
      report.deleted += expired.length;
      if (live || !page.truncated) return true;
      startAfter = keys.at(-1);
    }
  }

  const due = await dueDeployments(env.DB, now, deployments);
  for (const d of due) {
    if (!(await visit(d))) break;
    await env.DB.prepare(
      `INSERT INTO archive_expiry (deployment_id, expired_to) VALUES (?1, ?2)
       ON CONFLICT (deployment_id) DO UPDATE SET expired_to = max(expired_to, ?2)`,
    )
      .bind(d.id, d.boundary)
      .run();
    report.finished++;
  }
  report.complete = report.finished === due.length && due.length < deployments;
  return report;
}
