// Exactly-once counting on top of at-least-once delivery.
//
// A queue batch opens a claim (a row in `claims` with a fresh token) and inserts its
// events stamped with that token, idempotently (ON CONFLICT DO NOTHING), in one D1
// transaction: the rows it actually inserted are exactly the events it must count.
// The claimed set goes to each deployment's Durable Object with the token, which the
// object applies at most once; then the claim row is deleted. A failure anywhere
// leaves the claim row, and whoever finds it later (a redelivery of any of its
// messages, or the cron sweeper after 5 minutes) re-sends exactly the same set, read
// back by token, with the same token: nothing is lost and nothing is counted twice.
// Hot-path statements use D1's prepared statements directly (one JSON parameter each).
import { faultPoint } from "../fault-points";
import type { TelemetryMessage } from "../ingest/enqueue";
import type { NormalizedEvent } from "../ingest/normalized";
import { encodeBucket } from "../monitor/bucket";
import { aggregateByDeployment } from "./aggregate";
import { releaseUpserts } from "./releases";

/** A claim token: claim time in ms × 1000 + a random 0..999 (unique, and ordered by time). */
export function newClaimToken(now = Date.now()): number {
  return now * 1000 + Math.floor(Math.random() * 1000);
}

export interface ClaimedEvent {
  projectId: string;
  event: NormalizedEvent;
}

export function openClaimStatement(db: D1Database, token: number, now: number) {
  return db.prepare("INSERT INTO claims (token, created_at) VALUES (?1, ?2)").bind(token, now);
}

/**
 * Inserts one message's events stamped with `token`. Rows that already existed are left
 * alone, so `meta.changes` tells how many were new; when that is not all of them,
 * insertedStatement says which.
 */
export function insertStatement(db: D1Database, m: TelemetryMessage, token: number) {
  // NOTE: the events array is bound as one JSON parameter, far from D1's limit of 100
  // bound parameters; the WHERE clause also resolves SQLite's upsert-after-SELECT ambiguity.
  // No RETURNING: it costs a quarter of the insert, and most messages are all new.
  // Events of a project being deleted, or of a deployment being deleted (or deleted
  // after they were received), are dropped: see src/deletion/run.ts.
  return db
    .prepare(
      `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data, claim)
       SELECT ?1, value ->> '$.id', dep, value ->> '$.type', value ->> '$.ts', ?2, value, ?3
       FROM (SELECT value, ?1 || ':' || (value ->> '$.environment') || ':' ||
                    (value ->> '$.deployment') AS dep FROM json_each(?4))
       WHERE NOT EXISTS (SELECT 1 FROM deletions d WHERE d.project_id = ?1
         AND (d.deployment_id IS NULL
              OR (d.deployment_id = dep AND (d.completed_at IS NULL OR ?2 < d.completed_at))))
       ON CONFLICT (project_id, id) DO NOTHING`,
    )
    .bind(m.projectId, m.receivedAt, token, m.eventsJson ?? JSON.stringify(m.events));
}

/** Which of a message's events were stored under `token`. */
export function insertedStatement(db: D1Database, projectId: string, ids: string[], token: number) {
  return db
    .prepare(
      `SELECT id FROM events
       WHERE claim = ?1 AND project_id = ?2 AND id IN (SELECT value FROM json_each(?3))`,
    )
    .bind(token, projectId, JSON.stringify(ids));
}

/** Unfinished claims (other than `token`) holding any of these events: left by a failed attempt. */
export function orphanStatement(db: D1Database, projectId: string, ids: string[], token: number) {
  return db
    .prepare(
      `SELECT DISTINCT e.claim AS claim FROM events e JOIN claims c ON c.token = e.claim
       WHERE e.project_id = ?1 AND e.claim != ?3 AND e.id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(projectId, JSON.stringify(ids), token);
}

/**
 * The caller's copies of the claimed events (they are what was stored), sparing a
 * re-read. `seen` (event ids per project) spans the whole batch: an id sent twice is
 * counted once. Without partial messages in the batch, pass null: a message claimed
 * whole holds no id another message inserted (that would have hit the conflict
 * clause), so there is nothing to skip.
 */
export function pickClaimed(
  projectId: string,
  events: readonly NormalizedEvent[],
  claimedIds: ReadonlySet<string> | "all",
  seen: Map<string, Set<string>> | null,
): ClaimedEvent[] {
  let ids: Set<string> | undefined;
  if (seen) {
    ids = seen.get(projectId) ?? new Set();
    seen.set(projectId, ids);
  }
  const out: ClaimedEvent[] = [];
  for (const event of events) {
    if (claimedIds !== "all" && !claimedIds.has(event.id)) continue;
    if (ids) {
      if (ids.has(event.id)) continue;
      ids.add(event.id);
    }
    out.push({ projectId, event });
  }
  return out;
}

/** Claims opened (or last set back by the sweeper) before `olderThan` (ms), oldest first. */
export async function staleClaims(
  db: D1Database,
  olderThan: number,
  limit = 50,
): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT token FROM claims WHERE created_at < ?1 ORDER BY created_at, token LIMIT ?2")
    .bind(olderThan, limit)
    .all<{ token: number }>();
  return results.map((r) => r.token);
}

export async function eventsOfClaim(db: D1Database, token: number): Promise<ClaimedEvent[]> {
  const { results } = await db
    .prepare("SELECT project_id, data FROM events WHERE claim = ?1")
    .bind(token)
    .all<{ project_id: string; data: string }>();
  return results.map((r) => ({
    projectId: r.project_id,
    event: JSON.parse(r.data) as NormalizedEvent,
  }));
}

/**
 * Counts one claim: one RPC per deployment with the pre-aggregated buckets, then closes
 * the claim and records deployments and release markers in one D1 transaction.
 */
export async function completeClaim(
  env: Env,
  token: number,
  claimed: ClaimedEvent[],
): Promise<void> {
  const groups = aggregateByDeployment(claimed);
  await Promise.all(
    groups.map((g) =>
      env.DEPLOYMENT_MONITOR.getByName(g.monitorId).apply({
        deploymentId: g.monitorId,
        token: String(token),
        // NOTE: buckets travel encoded: their null-prototype maps are not structured-cloneable.
        buckets: g.buckets.map(({ start, bucket }) => ({ start, data: encodeBucket(bucket) })),
      }),
    ),
  );
  faultPoint("claim.close", String(token));
  await env.DB.batch([
    env.DB.prepare("DELETE FROM claims WHERE token = ?1").bind(token),
    // Probe runs neither create deployments nor mark releases (nor count as activity).
    ...releaseUpserts(
      env.DB,
      groups.filter((g) => !g.synthetic),
    ),
  ]);
}

/** Finishes a claim from what is stored under its token (orphans and stale claims). */
export async function completeStoredClaim(env: Env, token: number): Promise<void> {
  await completeClaim(env, token, await eventsOfClaim(env.DB, token));
}
