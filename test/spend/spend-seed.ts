// Seeds a deployment and its hourly cost straight into D1 (the rollups the Durable Object's
// alarm would write), so budget tests control every hour's spend.
import { env } from "cloudflare:workers";
import { HOUR_MS, hourOf } from "../../src/shared/time";

export interface SeedHours {
  projectId: string;
  environment: string;
  slug: string;
  /** USD of each hour from `from` up to and including the current hour. */
  usdPerHour: number;
  from: number;
  /** The hour's request counts by model (the rollup summary's model mix). */
  models?: Record<string, number>;
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
  const summary = JSON.stringify({ categories: { model: models } });
  const insert = env.DB.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, '1h', ?2, ?3, 0, 0, 0, NULL, NULL, ?4, ?5, ?2)`,
  );
  const rows: D1PreparedStatement[] = [];
  for (let h = hourOf(seed.from); h <= hourOf(Date.now()); h += HOUR_MS) {
    rows.push(insert.bind(id, h, count, seed.usdPerHour, summary));
  }
  for (let i = 0; i < rows.length; i += 500) await env.DB.batch(rows.slice(i, i + 500));
  return id;
}
