// Deleting a project (DELETE /v1/projects/:id, in projects.ts) or a deployment
// (DELETE /v1/deployments/:env/:slug, here): the request writes the tombstone that
// stops new events (and, for a project, revokes its keys) and the audit entry, and
// answers 202; the tick removes the data (src/deletion/run.ts). Asking again while a
// deletion is open answers the same deletion.
import { type Context, Hono } from "hono";
import { DELETION_AUDIT_ACTIONS, type DeletionScope } from "../deletion/plan";
import { newRecordId } from "../shared/ids";
import type { AppEnv } from "./app-types";
import { auditEntry } from "./audit";
import { requireAuth } from "./auth";
import { forgetKeyHash } from "./keys";
import { DeploymentParams, findDeployment, ProjectQuery } from "./shared-params";
import { validate } from "./validate";

export interface DeletionView {
  id: string;
  kind: DeletionScope["kind"];
  project_id: string;
  deployment_id: string | null;
  status: "deleting";
  requested_at: number;
}

interface OpenRow {
  id: string;
  requested_at: number;
}

function view(scope: DeletionScope, row: OpenRow): DeletionView {
  return {
    id: row.id,
    kind: scope.kind,
    project_id: scope.projectId,
    deployment_id: scope.kind === "deployment" ? scope.deploymentId : null,
    status: "deleting",
    requested_at: row.requested_at,
  };
}

/** The deletion already open for exactly this scope, if any. */
async function openDeletion(db: D1Database, scope: DeletionScope): Promise<OpenRow | null> {
  return db
    .prepare(
      `SELECT id, requested_at FROM deletions
       WHERE project_id = ? AND deployment_id IS ? AND completed_at IS NULL LIMIT 1`,
    )
    .bind(scope.projectId, scope.kind === "deployment" ? scope.deploymentId : null)
    .first<OpenRow>();
}

/** Starts deleting `scope` (which the caller has found to exist); `before` goes to the audit log. */
export async function requestDeletion<E extends AppEnv>(
  c: Context<E>,
  scope: DeletionScope,
  before: unknown,
): Promise<DeletionView> {
  const db = c.env.DB;
  const open = await openDeletion(db, scope);
  if (open) return view(scope, open);
  const auth = c.get("auth");
  const row: OpenRow = { id: newRecordId("del"), requested_at: Date.now() };
  const insert = db
    .prepare(
      `INSERT INTO deletions (id, kind, project_id, deployment_id, actor, requested_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.id,
      scope.kind,
      scope.projectId,
      scope.kind === "deployment" ? scope.deploymentId : null,
      auth.kind === "root" ? "root" : `key:${auth.keyId ?? "unknown"}`,
      row.requested_at,
    );
  if (scope.kind === "project") {
    // Keys stop working at once (other isolates within their key-cache TTL), so the
    // project takes no new events; the tombstone drops those already queued.
    const [, revoked] = await db.batch<{ hash: string }>([
      insert,
      db
        .prepare(
          `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?)
           WHERE project_id = ? RETURNING hash`,
        )
        .bind(row.requested_at, scope.projectId),
    ]);
    for (const { hash } of revoked?.results ?? []) forgetKeyHash(hash);
  } else {
    await insert.run();
  }
  const action = scope.kind === "project" ? DELETION_AUDIT_ACTIONS[0] : "deployment.delete";
  const target = scope.kind === "project" ? scope.projectId : scope.deploymentId;
  await auditEntry(c, scope.projectId, action, target, before, { deletion: row.id });
  return view(scope, row);
}

/** DELETE /v1/deployments/:env/:slug (admin scope; the root token names ?project=). */
export const deploymentDeletion = new Hono<AppEnv>().delete(
  "/:env/:slug",
  requireAuth({ scope: "admin" }),
  validate("param", DeploymentParams),
  validate("query", ProjectQuery),
  async (c) => {
    const row = await findDeployment(c, c.req.valid("param"), c.req.valid("query").project);
    const deletion = await requestDeletion(
      c,
      { kind: "deployment", projectId: row.projectId, deploymentId: row.id },
      { environment: row.environment, slug: row.slug, first_seen: row.firstSeen },
    );
    return c.json({ deletion }, 202);
  },
);
