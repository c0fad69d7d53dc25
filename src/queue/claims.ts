// Exactly-once counting on top of at-least-once delivery.
//
// Events are inserted idempotently (ON CONFLICT DO NOTHING). Counting them then goes
// through a claim: one UPDATE atomically stamps the still-pending events (applied = 0)
// with a claim token; the claimed set is forwarded to each deployment's Durable Object
// with that token, which the object applies at most once; finally the events are
// marked applied (1). A failure anywhere leaves the claim in place, and whoever finds
// it later (a redelivery, or the cron sweeper) re-sends exactly the same set with the
// same token, so nothing is lost and nothing is counted twice.
// Hot-path statements use D1's prepared statements directly (one JSON parameter each).
//
// A token is `claimTimeMs * 1000 + random(0..999)`: an integer ≥ 2 that also says when
// it was taken, so stale claims can be found without another column.
import type { NormalizedEvent } from "../ingest/normalized";
import { encodeBucket } from "../monitor/bucket";
import { aggregateByDeployment } from "./aggregate";
import { releaseUpserts } from "./releases";

export function newClaimToken(now = Date.now()): number {
  return now * 1000 + Math.floor(Math.random() * 1000);
}

export const claimTime = (token: number) => Math.floor(token / 1000);

export interface ClaimedEvent {
  projectId: string;
  event: NormalizedEvent;
}

interface ClaimedRow {
  project_id: string;
  data: string;
}

const toClaimed = (r: ClaimedRow): ClaimedEvent => ({
  projectId: r.project_id,
  event: JSON.parse(r.data) as NormalizedEvent,
});

/** Stamps the pending events among `ids` of one project with `token`; returns their ids. */
export function claimStatement(db: D1Database, projectId: string, ids: string[], token: number) {
  return db
    .prepare(
      `UPDATE events SET applied = ?1
       WHERE project_id = ?2 AND applied = 0 AND id IN (SELECT value FROM json_each(?3))
       RETURNING id`,
    )
    .bind(token, projectId, JSON.stringify(ids));
}

/** Claim tokens left behind among `ids` by an earlier attempt that failed part-way. */
export function orphanStatement(db: D1Database, projectId: string, ids: string[]) {
  return db
    .prepare(
      `SELECT DISTINCT applied FROM events
       WHERE project_id = ?1 AND applied > 1 AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(projectId, JSON.stringify(ids));
}

/**
 * The caller's copies of the events whose ids were claimed (they are what was
 * stored), sparing a re-read. A resend inside one batch repeats an id: kept once.
 */
export function pickClaimed(
  projectId: string,
  events: readonly NormalizedEvent[],
  claimedIds: Iterable<string>,
): ClaimedEvent[] {
  const claimed = new Set(claimedIds);
  const out: ClaimedEvent[] = [];
  for (const event of events) if (claimed.delete(event.id)) out.push({ projectId, event });
  return out;
}

/** Claims the pending events among `events` of one project and returns those claimed. */
export async function claimPending(
  db: D1Database,
  projectId: string,
  events: readonly NormalizedEvent[],
  token: number,
): Promise<ClaimedEvent[]> {
  const ids = events.map((e) => e.id);
  const { results } = await claimStatement(db, projectId, ids, token).all<{ id: string }>();
  return pickClaimed(
    projectId,
    events,
    results.map((r) => r.id),
  );
}

/** Tokens claimed before `olderThan` (ms) and never completed. */
export async function staleTokens(
  db: D1Database,
  olderThan: number,
  limit = 50,
): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT applied FROM events WHERE applied > 1 AND applied < ?1 LIMIT ?2")
    .bind(olderThan * 1000, limit)
    .all<{ applied: number }>();
  return results.map((r) => r.applied);
}

export async function eventsOfToken(db: D1Database, token: number): Promise<ClaimedEvent[]> {
  const { results } = await db
    .prepare("SELECT project_id, data FROM events WHERE applied = ?1")
    .bind(token)
    .all<ClaimedRow>();
  return results.map(toClaimed);
}

/**
 * Counts one claim: one RPC per deployment with the pre-aggregated buckets, then
 * marks the events applied and records release markers in one D1 transaction.
 */
export async function completeClaim(
  env: Env,
  token: number,
  claimed: ClaimedEvent[],
): Promise<void> {
  if (claimed.length === 0) return;
  const groups = aggregateByDeployment(claimed);
  await Promise.all(
    groups.map((g) =>
      env.DEPLOYMENT_MONITOR.getByName(g.deploymentId).apply({
        deploymentId: g.deploymentId,
        token: String(token),
        // NOTE: buckets travel encoded: their null-prototype maps are not structured-cloneable.
        buckets: g.buckets.map(({ start, bucket }) => ({ start, data: encodeBucket(bucket) })),
      }),
    ),
  );
  await env.DB.batch([
    env.DB.prepare("UPDATE events SET applied = 1 WHERE applied = ?1").bind(token),
    ...releaseUpserts(env.DB, groups),
  ]);
}
