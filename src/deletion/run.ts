// Finishes requested deletions from the cron tick, in bounded batches under a time
// budget, so a big project takes several ticks and never holds D1's writer for long.
//
// Protocol. The request (request.ts) writes a tombstone in `deletions` and, for a
// project, revokes its keys; from then on the telemetry consumer drops events of the
// target (src/queue/route.ts), so nothing new is stored for it. A pass here:
//   1. waits IN_FLIGHT_GRACE_MS after the request, for queue batches that read the
//      tombstones before it to finish (a Durable Object emptied by destroy() also drops
//      any event received before that, should one still arrive);
//   2. runs every D1 step of plan.ts until each deletes less than a full batch;
//   3. empties each deployment's Durable Object (destroy()), then deletes its row;
//   4. deletes the scope's archived events in R2 (a page of keys per list and delete),
//      after the objects that flush to the archive are gone;
//   5. for a project, deletes the project row.
// A deletion completes on the first pass that found nothing left to delete: a pass
// that did delete something is followed by a verifying pass a tick later, which also
// removes what work in flight during the first (an evaluation, a batch finishing)
// may have written meanwhile.
import { syntheticMonitorOf } from "../monitor/monitor-id";
import { archivePrefix, DELETION_AUDIT_ACTIONS, type DeletionScope, deletionSteps } from "./plan";

export const IN_FLIGHT_GRACE_MS = 60_000;
const OPEN_DELETIONS_PER_TICK = 10;
const OBJECTS_PER_QUERY = 20;
/** R2 lists and deletes at most 1,000 keys per call. */
const R2_PAGE = 1000;

interface DeletionRow {
  id: string;
  kind: "project" | "deployment";
  project_id: string;
  deployment_id: string | null;
  actor: string;
  requested_at: number;
}

export interface DeletionOptions {
  batch?: number;
  budgetMs?: number;
  clock?: () => number;
}

export interface DeletionReport {
  completed: string[];
  /** Deletions still open after this tick. */
  open: number;
}

export function scopeOf(d: DeletionRow): DeletionScope {
  return d.kind === "deployment" && d.deployment_id
    ? { kind: "deployment", projectId: d.project_id, deploymentId: d.deployment_id }
    : { kind: "project", projectId: d.project_id };
}

/** The scope's deployment ids, a page at a time. */
async function deploymentsOf(db: D1Database, scope: DeletionScope): Promise<string[]> {
  const query =
    scope.kind === "deployment"
      ? db.prepare("SELECT id FROM deployments WHERE id = ?").bind(scope.deploymentId)
      : db
          .prepare("SELECT id FROM deployments WHERE id >= ? AND id < ? LIMIT ?")
          .bind(`${scope.projectId}:`, `${scope.projectId};`, OBJECTS_PER_QUERY);
  const { results } = await query.all<{ id: string }>();
  return results.map((r) => r.id);
}

type Pass = "done" | "deleted" | "out_of_budget";

/** One pass over a deletion: what it found, or that the budget ran out part-way. */
async function pass(env: Env, d: DeletionRow, batch: number, spent: () => boolean): Promise<Pass> {
  const scope = scopeOf(d);
  let deleted = 0;
  for (const step of deletionSteps(scope)) {
    for (;;) {
      if (spent()) return "out_of_budget";
      const { meta } = await env.DB.prepare(step.sql)
        .bind(...step.params, batch)
        .run();
      deleted += meta.changes;
      if (meta.changes < batch) break;
    }
  }
  for (;;) {
    const ids = await deploymentsOf(env.DB, scope);
    if (ids.length === 0) break;
    for (const id of ids) {
      if (spent()) return "out_of_budget";
      await env.DEPLOYMENT_MONITOR.getByName(id).destroy();
      // Its probe runs' counts live in a sibling object (src/monitor/monitor-id.ts).
      await env.DEPLOYMENT_MONITOR.getByName(syntheticMonitorOf(id)).destroy();
      await env.DB.prepare("DELETE FROM deployments WHERE id = ?").bind(id).run();
      deleted++;
    }
  }
  const prefix = archivePrefix(scope);
  for (;;) {
    if (spent()) return "out_of_budget";
    const { objects } = await env.ARCHIVE.list({ prefix, limit: Math.min(batch, R2_PAGE) });
    if (objects.length === 0) break;
    await env.ARCHIVE.delete(objects.map((o) => o.key));
    deleted += objects.length;
  }
  if (scope.kind === "project") {
    const { meta } = await env.DB.prepare("DELETE FROM projects WHERE id = ?")
      .bind(scope.projectId)
      .run();
    deleted += meta.changes;
  }
  return deleted > 0 ? "deleted" : "done";
}

async function complete(db: D1Database, d: DeletionRow, now: number): Promise<void> {
  const action = d.kind === "project" ? DELETION_AUDIT_ACTIONS[1] : "deployment.deleted";
  await db.batch([
    db.prepare("UPDATE deletions SET completed_at = ? WHERE id = ?").bind(now, d.id),
    db
      .prepare(
        `INSERT INTO audit_log (project_id, actor, action, target, before, after, at)
         VALUES (?, ?, ?, ?, NULL, ?, ?)`,
      )
      .bind(
        d.project_id,
        d.actor,
        action,
        d.deployment_id ?? d.project_id,
        JSON.stringify({ deletion: d.id, requested_at: d.requested_at, completed_at: now }),
        now,
      ),
  ]);
}

/** Advances every open deletion as far as the budget allows. */
export async function runDeletions(
  env: Env,
  now: number,
  { batch = 500, budgetMs = 10_000, clock = Date.now }: DeletionOptions = {},
): Promise<DeletionReport> {
  const started = clock();
  const spent = () => clock() - started >= budgetMs;
  const { results } = await env.DB.prepare(
    `SELECT id, kind, project_id, deployment_id, actor, requested_at FROM deletions
     WHERE completed_at IS NULL ORDER BY requested_at LIMIT ?`,
  )
    .bind(OPEN_DELETIONS_PER_TICK)
    .all<DeletionRow>();
  const completed: string[] = [];
  for (const d of results) {
    if (spent()) break;
    if (now < d.requested_at + IN_FLIGHT_GRACE_MS) continue;
    if ((await pass(env, d, batch, spent)) !== "done") continue;
    await complete(env.DB, d, now);
    completed.push(d.id);
  }
  const open = await env.DB.prepare(
    "SELECT count(*) AS n FROM deletions WHERE completed_at IS NULL",
  ).first<{ n: number }>();
  return { completed, open: open?.n ?? 0 };
}
