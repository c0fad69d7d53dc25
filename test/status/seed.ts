// Seeds deployments, incidents, rollups and releases straight into D1 for the page tests.
import { env } from "cloudflare:workers";
import { addEvent, emptyBucket, encodeBucket } from "../../src/window/bucket";

const HOUR = 3_600_000;

export async function seedDeployment(projectId: string, slug: string, now: number, lastSeen = now) {
  const id = `${projectId}:production:${slug}`;
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?1, ?2, 'production', ?3, ?4, ?5)",
  )
    .bind(id, projectId, slug, now - 30 * 24 * HOUR, lastSeen)
    .run();
  return id;
}

export async function seedHours(deploymentId: string, now: number, hours: number, p95 = 800) {
  const top = Math.floor(now / HOUR) * HOUR;
  const stmt = env.DB.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, '1h', ?2, 100, 1, 18, 2, ?3, ?4, 0.2, ?5, ?6)`,
  );
  const summary = JSON.stringify({
    count: 100,
    rates: { error: 0.01, escalated: 0.02, thumbs_down: 0.1 },
    distributions: {
      latency_ms: { p50: p95 / 2, p95 },
      ttft_ms: { p50: 200, p95: 400 },
      output_chars: { p50: 600, p95: 1400 },
      retrieval_top_score: { p50: 0.8, p95: 0.95 },
      evals: { groundedness: { p50: 0.9, mean: 0.88 } },
    },
    cost: { per_request_usd: 0.002 },
  });
  await env.DB.batch(
    Array.from({ length: hours }, (_, k) =>
      stmt.bind(deploymentId, top - k * HOUR, p95 / 2, p95 + k, summary, now),
    ),
  );
}

export interface SeedIncident {
  id: string;
  projectId: string;
  deploymentId: string;
  severity: "warning" | "critical";
  metric: string;
  status: "pending" | "firing" | "resolved";
  firingAt: number | null;
  ackedAt?: number | null;
  resolvedAt?: number | null;
}

export async function seedIncident(i: SeedIncident) {
  const check = JSON.stringify({ metric: i.metric, message: `${i.metric} breached`, value: 0.2 });
  const startedAt = (i.firingAt ?? Date.now()) - 5 * 60_000;
  await env.DB.prepare(
    `INSERT INTO incidents (id, project_id, deployment_id, rule_id, fingerprint, status, severity, state,
       last_check, started_at, firing_at, resolved_at, acked_at, silenced_until, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, NULL, ?14)`,
  )
    .bind(
      i.id,
      i.projectId,
      i.deploymentId,
      `default:${i.metric}`,
      `${i.deploymentId}|${i.id}`,
      i.status,
      i.severity,
      JSON.stringify({ status: i.status, acked_at: i.ackedAt ?? null, silenced_until: null }),
      check,
      startedAt,
      i.firingAt,
      i.resolvedAt ?? null,
      i.ackedAt ?? null,
      i.resolvedAt ?? i.ackedAt ?? startedAt,
    )
    .run();
}

export async function seedRelease(deploymentId: string, promptVersion: string, firstSeen: number) {
  await env.DB.prepare(
    `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
     VALUES (?1, 'gpt-4o-mini', 'openai', ?2, '', ?3, ?4, 10)`,
  )
    .bind(deploymentId, promptVersion, firstSeen, firstSeen + 3_600_000)
    .run();
}

/**
 * An active pinned baseline of 1,000 interactions: latency k ms (k = 1…1,000), every 20th an
 * error, and a value for every charted metric (time to first token, output length,
 * retrieval score, a groundedness eval, thumbs, escalations).
 */
export async function seedPinnedBaseline(deploymentId: string, slug: string, now: number) {
  let bucket = emptyBucket();
  for (let k = 1; k <= 1000; k++) {
    bucket = addEvent(bucket, {
      type: "interaction",
      id: `b${k}`,
      deployment: slug,
      environment: "production",
      ts: now - 48 * HOUR,
      status: k % 20 === 0 ? "error" : "ok",
      latency_ms: k,
      ttft_ms: k / 4,
      output_chars: 400 + k,
      retrieval: { top_score: (k % 100) / 100 },
      evals: { groundedness: (k % 10) / 10 },
      feedback: k % 10 === 0 ? -1 : k % 3 === 0 ? 1 : 0,
      escalated: k % 50 === 0,
    });
  }
  await env.DB.prepare(
    `INSERT INTO baselines (id, deployment_id, kind, label, "from", "to", data, count, active, created_at)
     VALUES (?1, ?2, 'range', 'two days ago', ?3, ?4, ?5, 1000, 1, ?4)`,
  )
    .bind(
      `bl-${deploymentId}`,
      deploymentId,
      now - 49 * HOUR,
      now - 47 * HOUR,
      encodeBucket(bucket),
    )
    .run();
}
