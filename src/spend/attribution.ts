// What burns: the deployment and model with the largest share of a window's spend. Pure.
// A model's spend is the row's cost for that model (`byModel`), or for rows written before
// rollups kept it, the row's cost apportioned by the model's share of its requests.
import type { DeploymentBucketSpend } from "./scope-spend";

export interface Burner {
  /** The largest contributor, and its share of the window's spend (0–1). */
  deployment: { id: string; environment: string; slug: string; share: number } | null;
  model: { name: string; share: number } | null;
}

function parseCounts(models: string | null): Record<string, number> {
  if (!models) return {};
  try {
    const parsed: unknown = JSON.parse(models);
    if (typeof parsed !== "object" || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === "number"),
    );
  } catch {
    return {};
  }
}

function top<K>(totals: Map<K, number>): [K, number] | null {
  let best: [K, number] | null = null;
  for (const entry of totals) if (!best || entry[1] > best[1]) best = entry;
  return best;
}

/** The top deployment and model among rows with bucket starts in [from, to). */
export function topBurner(
  rows: readonly DeploymentBucketSpend[],
  from: number,
  to: number,
): Burner {
  const byDeployment = new Map<string, number>();
  const names = new Map<string, { environment: string; slug: string }>();
  const byModel = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    if (row.start < from || row.start >= to || !(row.usd > 0)) continue;
    total += row.usd;
    byDeployment.set(row.deploymentId, (byDeployment.get(row.deploymentId) ?? 0) + row.usd);
    names.set(row.deploymentId, { environment: row.environment, slug: row.slug });
    const costs = parseCounts(row.byModel ?? null);
    if (row.byModel) {
      for (const [model, usd] of Object.entries(costs)) {
        if (model !== "other") byModel.set(model, (byModel.get(model) ?? 0) + usd);
      }
      continue;
    }
    const counts = parseCounts(row.models);
    const requests = Object.values(counts).reduce((a, b) => a + b, 0);
    if (requests <= 0) continue;
    for (const [model, n] of Object.entries(counts)) {
      if (model === "other") continue;
      byModel.set(model, (byModel.get(model) ?? 0) + (row.usd * n) / requests);
    }
  }
  if (total <= 0) return { deployment: null, model: null };
  const d = top(byDeployment);
  const m = top(byModel);
  const name = d ? names.get(d[0]) : undefined;
  return {
    deployment: d && name ? { id: d[0], ...name, share: d[1] / total } : null,
    model: m ? { name: m[0], share: m[1] / total } : null,
  };
}
