// The hourly spend of a budget's scope, read from the D1 1-hour rollups of the project's
// deployments. A model's spend is the rollup's own cost for that model (`cost.by_model`:
// exact for the 20 costliest models of a deployment's bucket); only a model folded into
// `other`, or a rollup written before `by_model` existed, is apportioned by request share.
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
  /** The bucket's cost per model (JSON); absent or null in rollups written before it. */
  byModel?: string | null;
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
         json_extract(r.summary, '$.categories.model') AS models,
         json_extract(r.summary, '$.cost.by_model') AS byModel
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id
       WHERE ${filter} AND r.cost_usd > 0`,
    )
    .bind(...binds)
    .all<DeploymentBucketSpend>();
  if (scope.type !== "model") return results;
  return results
    .map((row) => {
      const model = scope.model ?? "";
      const usd = modelCost(row, model);
      // The row now holds only the model's spend: attribution names the model alone.
      return { ...row, usd, byModel: JSON.stringify({ [model]: usd }) };
    })
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
         json_extract(r.summary, '$.categories.model') AS models,
         json_extract(r.summary, '$.cost.by_model') AS byModel
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id
       WHERE ${filter} AND r.cost_usd > 0`,
    )
    .bind(...binds)
    .all<BucketModelSpend & { start: number }>();
  const byHour = new Map<number, number>();
  for (const row of results) {
    const usd = modelCost(row, scope.model ?? "");
    if (usd > 0) byHour.set(row.start, (byHour.get(row.start) ?? 0) + usd);
  }
  return [...byHour].map(([start, usd]) => ({ start, usd }));
}

/** What a rollup row holds for a model: its cost, request count and the two JSON maps. */
export interface BucketModelSpend {
  usd: number;
  count: number;
  models: string | null;
  byModel?: string | null;
}

function parseNumbers(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * A model's cost in one rollup bucket: exactly `cost.by_model[model]` when the bucket names
 * it; when it does not, 0 unless costs were folded into `other`, then the request-share
 * estimate capped at `other`; a bucket without `by_model` (written before it existed) by
 * request share alone.
 */
export function modelCost(row: BucketModelSpend, model: string): number {
  const costs = parseNumbers(row.byModel ?? null);
  const estimate = () => row.usd * modelShare(row.models, model, row.count);
  if (!costs) return estimate();
  const own = Object.hasOwn(costs, model) ? costs[model] : undefined;
  if (typeof own === "number") return Math.max(0, own);
  const other = costs.other;
  return typeof other === "number" && other > 0 ? Math.min(other, estimate()) : 0;
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
