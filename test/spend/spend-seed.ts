// Seeds a deployment and its hourly (or per-minute) cost straight into D1 (the rollups the Durable Object's
// alarm would write), so budget tests control every hour's spend.
import { env } from "cloudflare:workers";
import { HOUR_MS, hourOf, MINUTE_MS, minuteOf } from "../../src/shared/time";

export interface SeedHours {
  projectId: string;
  environment: string;
  slug: string;
  /** USD of each hour from `from` up to and including the current hour. */
  usdPerHour: number;
  from: number;
  /** The hour's request counts by model (the rollup summary's model mix). */
  models?: Record<string, number>;
  /** The bucket's cost per model (the summary's `cost.by_model`); absent as in older rollups. */
  costByModel?: Record<string, number>;
  /** "1m": `usdPerHour` is USD per minute, from `from` up to (not including) `to`. */
  resolution?: "1m" | "1h";
  to?: number;
}

export async function seedHourlySpend(seed: SeedHours): Promise<string> {
  const id = `${seed.projectId}:${seed.environment}:${seed.slug}`;
  await env.DB.prepare(
    `INSERT OR IGNORE INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5)`,
  )
    .bind(id, seed.projectId, seed.environment, seed.slug, seed.from)
    .run();
  const models = seed.models ?? { "gpt-4o": 10 };
  const count = Object.values(models).reduce((a, b) => a + b, 0);
  const summary = JSON.stringify({
    categories: { model: models },
    ...(seed.costByModel ? { cost: { by_model: seed.costByModel } } : {}),
  });
  const insert = env.DB.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, ?6, ?2, ?3, 0, 0, 0, NULL, NULL, ?4, ?5, ?2)`,
  );
  const rows: D1PreparedStatement[] = [];
  if (seed.resolution === "1m") {
    for (let m = minuteOf(seed.from); m < (seed.to ?? Date.now()); m += MINUTE_MS) {
      rows.push(insert.bind(id, m, count, seed.usdPerHour, summary, "1m"));
    }
  } else {
    for (let h = hourOf(seed.from); h <= hourOf(seed.to ?? Date.now()); h += HOUR_MS) {
      rows.push(insert.bind(id, h, count, seed.usdPerHour, summary, "1h"));
    }
  }
  for (let i = 0; i < rows.length; i += 500) await env.DB.batch(rows.slice(i, i + 500));
  return id;
}
