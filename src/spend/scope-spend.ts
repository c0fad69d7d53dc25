// The hourly spend of a budget's scope, read from the D1 1-hour rollups of the project's
// deployments. A model's spend is each hour's deployment cost apportioned by that model's
// share of the hour's requests (rollups hold cost per deployment, not per model): exact
// whenever a deployment's hour used one model.
import type { BudgetScopeType } from "../db/schema/budgets";
import type { HourSpend } from "./forecast";

export interface BudgetScope {
  type: BudgetScopeType;
  environment: string | null;
  slug: string | null;
  model: string | null;
}

/** The SQL filter on rollups `r` joined to deployments `d` for the scope, and its binds. */
function scopeFilter(projectId: string, scope: BudgetScope, resolution: "1m" | "1h", from: number) {
  const where = ["d.project_id = ?1", `r.resolution = '${resolution}'`, "r.bucket_start >= ?2"];
  const binds: (string | number)[] = [projectId, from];
  if (scope.type === "environment" || scope.type === "deployment") {
    binds.push(scope.environment ?? "");
    where.push(`d.environment = ?${binds.length}`);
  }
  if (scope.type === "deployment") {
    binds.push(scope.slug ?? "");
    where.push(`d.slug = ?${binds.length}`);
  }
  return { filter: where.join(" AND "), binds };
}

/** One deployment's spend in one rollup bucket, with the bucket's model mix (JSON). */
export interface DeploymentBucketSpend {
  deploymentId: string;
  environment: string;
  slug: string;
  start: number;
  usd: number;
  count: number;
  models: string | null;
}

/**
 * Per-deployment 1-minute spend of `scope` from `from` (1-minute rollups live 48 h), for
 * burn rates and for naming what burns. A model scope's rows carry only the model's share.
 */
export async function scopeMinuteSpend(
  db: D1Database,
  projectId: string,
  scope: BudgetScope,
  from: number,
): Promise<DeploymentBucketSpend[]> {
  const { filter, binds } = scopeFilter(projectId, scope, "1m", from);
  const { results } = await db
    .prepare(
      `SELECT r.deployment_id AS deploymentId, d.environment AS environment, d.slug AS slug,
         r.bucket_start AS start, r.cost_usd AS usd, r.count AS count,
         json_extract(r.summary, '$.categories.model') AS models
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id
       WHERE ${filter} AND r.cost_usd > 0`,
    )
    .bind(...binds)
    .all<DeploymentBucketSpend>();
  if (scope.type !== "model") return results;
  return results
    .map((row) => ({ ...row, usd: row.usd * modelShare(row.models, scope.model ?? "", row.count) }))
    .filter((row) => row.usd > 0);
}

/** Hourly spend of `scope` in `projectId` for hours starting at or after `from`. */
export async function scopeHourlySpend(
  db: D1Database,
  projectId: string,
  scope: BudgetScope,
  from: number,
): Promise<HourSpend[]> {
  const { filter, binds } = scopeFilter(projectId, scope, "1h", from);
  if (scope.type !== "model") {
    const { results } = await db
      .prepare(
        `SELECT r.bucket_start AS start, SUM(r.cost_usd) AS usd FROM rollups r
         JOIN deployments d ON d.id = r.deployment_id WHERE ${filter} GROUP BY r.bucket_start`,
      )
      .bind(...binds)
      .all<HourSpend>();
    return results;
  }
  const { results } = await db
    .prepare(
      `SELECT r.bucket_start AS start, r.cost_usd AS usd, r.count AS count,
         json_extract(r.summary, '$.categories.model') AS models
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id
       WHERE ${filter} AND r.cost_usd > 0`,
    )
    .bind(...binds)
    .all<{ start: number; usd: number; count: number; models: string | null }>();
  const byHour = new Map<number, number>();
  for (const row of results) {
    const share = modelShare(row.models, scope.model ?? "", row.count);
    if (share > 0) byHour.set(row.start, (byHour.get(row.start) ?? 0) + row.usd * share);
  }
  return [...byHour].map(([start, usd]) => ({ start, usd }));
}

/** The model's fraction of an hour's requests from the rollup's model counts (JSON). */
export function modelShare(models: string | null, model: string, count: number): number {
  if (!models || count <= 0) return 0;
  let counts: unknown;
  try {
    counts = JSON.parse(models);
  } catch {
    return 0;
  }
  if (typeof counts !== "object" || counts === null) return 0;
  const n = (counts as Record<string, unknown>)[model];
  return typeof n === "number" && n > 0 ? Math.min(1, n / count) : 0;
}
