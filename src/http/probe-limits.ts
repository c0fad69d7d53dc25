// What a project may create with probes: at most MAX_PROBES_PER_PROJECT probes (default
// 50), and a probe's deployment counts against the project's deployment limit
// (src/ingest/deployment-cap.ts) like one created by events. Both are read just before the
// insert, so requests racing to create the last ones may pass the limit by their number.

import { deploymentLimitOf } from "../ingest/deployment-cap";
import { ApiError } from "./errors";

export const DEFAULT_MAX_PROBES = 50;

/** The limit from the MAX_PROBES_PER_PROJECT var: a whole number ≥ 1, else the default. */
export function probeLimitOf(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : DEFAULT_MAX_PROBES;
}

/** Throws 409 when a new probe on `deploymentId` would pass either limit. */
export async function checkProbeLimits(
  env: Env,
  projectId: string,
  deploymentId: string,
): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT (SELECT count(*) FROM probes WHERE project_id = ?1) AS probes,
            (SELECT count(*) FROM deployments WHERE project_id = ?1) AS deployments,
            EXISTS (SELECT 1 FROM deployments WHERE id = ?2) AS known`,
  )
    .bind(projectId, deploymentId)
    .first<{ probes: number; deployments: number; known: number }>();
  const probeLimit = probeLimitOf(env.MAX_PROBES_PER_PROJECT);
  if ((row?.probes ?? 0) >= probeLimit) {
    throw new ApiError(
      "conflict",
      `the project has reached its limit of ${probeLimit} probes; delete one or raise ` +
        "MAX_PROBES_PER_PROJECT",
      { limit: probeLimit, reason: "probe_limit" },
    );
  }
  const deploymentLimit = deploymentLimitOf(env.MAX_DEPLOYMENTS_PER_PROJECT);
  if (!row?.known && (row?.deployments ?? 0) >= deploymentLimit) {
    throw new ApiError(
      "conflict",
      `the project has reached its limit of ${deploymentLimit} deployments; the probe's ` +
        "deployment would be a new one. Use an existing deployment, delete unused ones or " +
        "raise MAX_DEPLOYMENTS_PER_PROJECT",
      { limit: deploymentLimit, reason: "deployment_limit" },
    );
  }
}
