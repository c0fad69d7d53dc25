// Deleting a project (DELETE /v1/projects/:id, in projects/project-routes.ts) or a deployment
// (DELETE /v1/deployments/:env/:slug, here): the request writes the tombstone that
// stops new events (and, for a project, revokes its keys) and the audit entry, and
// answers 202; the tick removes the data (src/deletion/run.ts). Asking again while a
// deletion is open answers the same deletion.
import { and, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { apiKeysTable, deletionsTable } from "../../db/schema";
import { DELETION_AUDIT_ACTIONS, type DeletionScope } from "../../deletion/plan";
import type { AppEnv } from "../../http/app-types";
import { actorOf, auditEntry } from "../../http/audit";
import { forgetKeyHash } from "../../http/keys";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { deploymentRouter } from "../../http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../http/shared-params";
import { forgetTombstones } from "../../queue/tombstone-cache";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import { DeletionSchema } from "../projects/schema";

type DeletionRow = typeof deletionsTable.$inferSelect;
export type Deletion = z.output<typeof DeletionSchema>;

const toDeletion = (row: DeletionRow): Deletion =>
  fromRow(DeletionSchema, { ...row, status: "deleting" });

/** The deletion already open for exactly this scope, if any. */
async function openDeletion(db: D1Database, scope: DeletionScope): Promise<DeletionRow | null> {
  const [row] = await drizzle(db)
    .select()
    .from(deletionsTable)
    .where(
      and(
        eq(deletionsTable.projectId, scope.projectId),
        scope.kind === "deployment"
          ? eq(deletionsTable.deploymentId, scope.deploymentId)
          : isNull(deletionsTable.deploymentId),
        isNull(deletionsTable.completedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Starts deleting `scope` (which the caller has found to exist); `before` goes to the audit
 * log, in the same D1 batch as the tombstone.
 */
export async function requestDeletion<E extends AppEnv>(
  c: Context<E>,
  scope: DeletionScope,
  before: unknown,
): Promise<Deletion> {
  const open = await openDeletion(c.env.DB, scope);
  if (open) return toDeletion(open);
  const row: DeletionRow = {
    id: newRecordId("del"),
    kind: scope.kind,
    projectId: scope.projectId,
    deploymentId: scope.kind === "deployment" ? scope.deploymentId : null,
    actor: actorOf(c),
    requestedAt: Date.now(),
    completedAt: null,
  };
  const db = drizzle(c.env.DB);
  const insert = db.insert(deletionsTable).values(row);
  const action = scope.kind === "project" ? DELETION_AUDIT_ACTIONS[0] : "deployment.delete";
  const target = scope.kind === "project" ? scope.projectId : scope.deploymentId;
  const entry = auditEntry(c, scope.projectId, action, target, before, { deletion: row.id });
  if (scope.kind === "project") {
    // Keys stop working at once (other isolates within their key-cache TTL), so the
    // project takes no new events; the tombstone drops those already queued.
    const [, revoked] = await db.batch([
      insert,
      db
        .update(apiKeysTable)
        .set({ revokedAt: sql`coalesce(${apiKeysTable.revokedAt}, ${row.requestedAt})` })
        .where(eq(apiKeysTable.projectId, scope.projectId))
        .returning({ hash: apiKeysTable.hash }),
      entry,
    ]);
    for (const { hash } of revoked) forgetKeyHash(hash);
  } else {
    await db.batch([insert, entry]);
  }
  forgetTombstones(scope.projectId);
  return toDeletion(row);
}

const deleteDeployment = apiRoute({
  method: "delete",
  path: "/",
  access: "admin",
  errors: [404],
  tags: ["Deployments"],
  summary: "Delete a deployment and all its data (in the background)",
  description:
    "Writes a tombstone that drops its events still queued and answers 202; the data goes " +
    "within minutes. Asking again while the deletion is open answers the same deletion.",
  request: { params: DeploymentParams, query: ProjectQuery },
  responses: {
    202: {
      description: "Deletion started",
      content: json(z.object({ deletion: DeletionSchema })),
    },
  },
});

/** DELETE /v1/deployments/:env/:slug (admin scope; the root token names ?project=). */
export const deploymentDeletion = deploymentRouter().openapi(deleteDeployment, async (c) => {
  const row = c.var.deployment;
  const deletion = await requestDeletion(
    c,
    { kind: "deployment", projectId: row.projectId, deploymentId: row.id },
    { environment: row.environment, slug: row.slug, first_seen: row.firstSeen },
  );
  return c.json({ deletion }, 202);
});
