// The per-project deployment limit in the ingest routes (rule in ingest/deployment-cap.ts).
// A project's deployments are cached per isolate, so D1 is read only when a request
// names a deployment this isolate has not seen. Deployments admitted here exist in D1
// only once the queue consumer has run, so they are remembered for a few minutes: the
// limit is exact per isolate and approximate across isolates racing on new deployments.
import { capDeployments, deploymentKey, deploymentLimitOf } from "../ingest/deployment-cap";
import { DEFAULT_ENVIRONMENT } from "../ingest/normalize";
import type { Rejection, ValidEvent } from "../ingest/parse-batch";

/** How long the D1 list is trusted, and how long admitted deployments count as pending. */
const REFRESH_MS = 60_000;
const PENDING_MS = 5 * 60_000;
const MAX_CACHED_PROJECTS = 1_000;

interface Known {
  keys: Set<string>;
  pending: Map<string, number>;
  at: number;
}
const cache = new Map<string, Known>();

async function load(db: D1Database, projectId: string, previous: Known | undefined, now: number) {
  const { results } = await db
    .prepare("SELECT environment, slug FROM deployments WHERE project_id = ?1")
    .bind(projectId)
    .all<{ environment: string; slug: string }>();
  const pending = new Map([...(previous?.pending ?? [])].filter(([, at]) => now - at < PENDING_MS));
  const keys = new Set([
    ...results.map((r) => deploymentKey(r.environment, r.slug)),
    ...pending.keys(),
  ]);
  if (cache.size >= MAX_CACHED_PROJECTS) cache.clear();
  const known: Known = { keys, pending, at: now };
  cache.set(projectId, known);
  return known;
}

/** Moves events that would create a deployment past the limit into `rejected`. */
export async function applyDeploymentLimit(
  env: Env,
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
    known = await load(env.DB, projectId, known, now);
  }
  const limit = deploymentLimitOf(env.MAX_DEPLOYMENTS_PER_PROJECT);
  const capped = capDeployments(valid, known, limit, DEFAULT_ENVIRONMENT);
  for (const key of capped.admitted) {
    known.keys.add(key);
    known.pending.set(key, now);
  }
  if (capped.rejected.length === 0) return { valid, rejected };
  const all = [...rejected, ...capped.rejected].sort((a, b) => a.index - b.index);
  return { valid: capped.valid, rejected: all };
}
