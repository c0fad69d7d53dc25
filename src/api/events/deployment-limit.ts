// The per-project deployment limit and each key's share of it in the ingest routes (rules
// in ingest/deployment-cap.ts). A project's deployments are cached per isolate, so D1 is
// read only when a request names a deployment this isolate has not seen. A deployment
// admitted here exists in `deployments` only once the queue consumer has run, so its
// creator row (`deployment_creators`, written here) counts it meanwhile: for the project
// and for its key. Both limits are exact per isolate and approximate across isolates
// racing on new deployments.

import type { AuthContext } from "../../http/app-types";
import {
  capDeployments,
  deploymentKey,
  deploymentLimitOf,
  type KeyShare,
  keyShareOf,
} from "../../ingest/deployment-cap";
import { DEFAULT_ENVIRONMENT } from "../../ingest/normalize";
import type { Rejection, ValidEvent } from "../../ingest/parse-batch";

/** How long the D1 list is trusted, and how long a creator row counts without its deployment. */
const REFRESH_MS = 60_000;
const PENDING_MS = 5 * 60_000;
const MAX_CACHED_PROJECTS = 1_000;

interface Known {
  keys: Set<string>;
  /** Deployments each key created that still count (by key id). */
  byKey: Map<string, number>;
  at: number;
}
const cache = new Map<string, Known>();

async function load(db: D1Database, projectId: string, now: number): Promise<Known> {
  const [deployments, creators] = await db.batch<{
    environment: string;
    slug: string;
    key_id?: string;
  }>([
    db.prepare("SELECT environment, slug FROM deployments WHERE project_id = ?1").bind(projectId),
    db
      .prepare(
        `SELECT c.environment, c.slug, c.key_id FROM deployment_creators c
         WHERE c.project_id = ?1 AND (c.created_at > ?2 OR EXISTS (
           SELECT 1 FROM deployments d
           WHERE d.project_id = c.project_id AND d.environment = c.environment AND d.slug = c.slug))`,
      )
      .bind(projectId, now - PENDING_MS),
  ]);
  const keys = new Set<string>();
  for (const r of deployments?.results ?? []) keys.add(deploymentKey(r.environment, r.slug));
  const byKey = new Map<string, number>();
  for (const r of creators?.results ?? []) {
    keys.add(deploymentKey(r.environment, r.slug));
    if (r.key_id) byKey.set(r.key_id, (byKey.get(r.key_id) ?? 0) + 1);
  }
  if (cache.size >= MAX_CACHED_PROJECTS) cache.clear();
  const known: Known = { keys, byKey, at: now };
  cache.set(projectId, known);
  return known;
}

/** Records which key created each admitted deployment (replacing a deleted one's row). */
async function recordCreators(
  db: D1Database,
  projectId: string,
  keyId: string,
  admitted: readonly string[],
  now: number,
): Promise<void> {
  const insert = db.prepare(
    `INSERT INTO deployment_creators (project_id, environment, slug, key_id, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5)
     ON CONFLICT (project_id, environment, slug) DO UPDATE SET
       key_id = excluded.key_id, created_at = excluded.created_at`,
  );
  await db.batch(
    admitted.map((key) => {
      const at = key.indexOf(":");
      return insert.bind(projectId, key.slice(0, at), key.slice(at + 1), keyId, now);
    }),
  );
}

/** Moves events that would create a deployment past either limit into `rejected`. */
export async function applyDeploymentLimit(
  env: Env,
  auth: AuthContext,
  projectId: string,
  valid: ValidEvent[],
  rejected: Rejection[],
  now: number,
): Promise<{ valid: ValidEvent[]; rejected: Rejection[] }> {
  let known = cache.get(projectId);
  const unknown = (k: Known) =>
    valid.some(
      (v) =>
        !k.keys.has(deploymentKey(v.event.environment ?? DEFAULT_ENVIRONMENT, v.event.deployment)),
    );
  if (!known || now - known.at > REFRESH_MS || unknown(known)) {
    known = await load(env.DB, projectId, now);
  }
  const limit = deploymentLimitOf(env.MAX_DEPLOYMENTS_PER_PROJECT);
  const keyId = auth.keyId;
  // A key with a deployment list is bounded by the list; the root token sends no events.
  const share: KeyShare | undefined =
    keyId && !auth.allowedDeployments
      ? {
          limit: keyShareOf(env.MAX_NEW_DEPLOYMENTS_PER_KEY, limit),
          created: known.byKey.get(keyId) ?? 0,
        }
      : undefined;
  const capped = capDeployments(valid, known, limit, DEFAULT_ENVIRONMENT, share);
  if (capped.admitted.length > 0 && keyId) {
    await recordCreators(env.DB, projectId, keyId, capped.admitted, now);
    known.byKey.set(keyId, (known.byKey.get(keyId) ?? 0) + capped.admitted.length);
  }
  for (const key of capped.admitted) known.keys.add(key);
  if (capped.rejected.length === 0) return { valid, rejected };
  const all = [...rejected, ...capped.rejected].sort((a, b) => a.index - b.index);
  return { valid: capped.valid, rejected: all };
}
