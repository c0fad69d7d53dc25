// Simulated deployment streams for drift tests: a week of baseline history seeded
// straight into a DeploymentMonitor (1-hour buckets), then the last two hours minute
// by minute from a scenario that can change behaviour at chosen minutes.
import { env } from "cloudflare:workers";
import type { NormalizedInteraction } from "../src/ingest/normalized";
import { addEvent, type Bucket, emptyBucket, encodeBucket } from "../src/window/bucket";
import { lognormal, seededRandom } from "./sample-values";

export interface Behaviour {
  errorRate: number;
  thumbsDownRate: number;
  latencyFactor: number;
  charsFactor: number;
  model: string;
}

export const NORMAL: Behaviour = {
  errorRate: 0.01,
  thumbsDownRate: 0.05,
  latencyFactor: 1,
  charsFactor: 1,
  model: "gpt-4o-mini",
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function minuteOfEvents(
  slug: string,
  ts: number,
  perMinute: number,
  b: Behaviour,
  random: () => number,
) {
  const events: NormalizedInteraction[] = [];
  for (let i = 0; i < perMinute; i++) {
    const chars = Math.round(lognormal(random, 600 * b.charsFactor, 0.4));
    events.push({
      type: "interaction",
      id: `${ts}-${i}`,
      deployment: slug,
      environment: "production",
      ts: ts + Math.floor((i / perMinute) * MINUTE),
      status: random() < b.errorRate ? "error" : "ok",
      model: b.model,
      provider: "openai",
      latency_ms: Math.round(lognormal(random, 800 * b.latencyFactor, 0.5)),
      ttft_ms: Math.round(lognormal(random, 200, 0.4)),
      output_chars: chars,
      output_tokens: Math.round(chars / 4),
      input_tokens: Math.round(lognormal(random, 900, 0.3)),
      finish_reason: random() < 0.95 ? "stop" : "length",
      // Half of the answers get a thumb.
      ...(random() < 0.5 ? { feedback: random() < b.thumbsDownRate ? -1 : 1 } : {}),
    });
  }
  return events;
}

function bucketOf(events: NormalizedInteraction[]): Bucket {
  const bucket = emptyBucket();
  for (const e of events) addEvent(bucket, e);
  return bucket;
}

export interface Simulation {
  projectId: string;
  deploymentId: string;
  slug: string;
  /** The current minute (epoch ms); scenario minutes are offsets before it. */
  now: number;
}

/**
 * Seeds 7 days of normal history plus the last 120 minutes, where `behaviourAt(offset)`
 * (offset in minutes before now, 120 … 1) picks each minute's behaviour.
 */
export async function simulate(
  slug: string,
  behaviourAt: (minutesAgo: number) => Behaviour,
  perMinute = 100,
  seed = 1,
): Promise<Simulation> {
  const projectId = `prj_sim_${slug}`;
  const deploymentId = `${projectId}:production:${slug}`;
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const random = seededRandom(seed);
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  const firstMinute = now - 120 * MINUTE;
  // Six distinct hours of normal traffic, cycled through the week (generation is the slow part).
  const templates = Array.from({ length: 6 }, (_, h) =>
    encodeBucket(
      bucketOf(
        Array.from({ length: 60 }, (_, m) =>
          minuteOfEvents(slug, h * HOUR + m * MINUTE, perMinute, NORMAL, random),
        ).flat(),
      ),
    ),
  );
  const hours: { start: number; data: string }[] = [];
  for (
    let start = Math.floor((now - 7 * 24 * HOUR) / HOUR) * HOUR;
    start + HOUR <= firstMinute;
    start += HOUR
  ) {
    hours.push({ start, data: templates[hours.length % templates.length] ?? "" });
  }
  await stub.apply({ deploymentId, token: `${slug}-history`, buckets: hours });
  const minutes: { start: number; data: string }[] = [];
  for (let ago = 120; ago >= 1; ago--) {
    const ts = now - ago * MINUTE;
    minutes.push({
      start: ts,
      data: encodeBucket(bucketOf(minuteOfEvents(slug, ts, perMinute, behaviourAt(ago), random))),
    });
  }
  await stub.apply({ deploymentId, token: `${slug}-recent`, buckets: minutes });
  const first = now - 7 * 24 * HOUR;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO projects (id, name, retention_days, created_at) VALUES (?, ?, 30, ?)",
    ).bind(projectId, slug, now),
    env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
    ).bind(deploymentId, projectId, slug, first, now),
  ]);
  return { projectId, deploymentId, slug, now };
}

export interface IncidentRowView {
  rule_id: string;
  status: string;
  started_at: number;
  firing_at: number | null;
  resolved_at: number | null;
}

export async function incidentsOf(deploymentId: string): Promise<IncidentRowView[]> {
  const { results } = await env.DB.prepare(
    "SELECT rule_id, status, started_at, firing_at, resolved_at FROM incidents WHERE deployment_id = ? AND status != 'inactive' ORDER BY started_at",
  )
    .bind(deploymentId)
    .all<IncidentRowView>();
  return results;
}

/** A simulated deployment's D1 row, in the shape evaluateDeployment takes. */
export async function deploymentRow(sim: Pick<Simulation, "deploymentId">) {
  const row = await env.DB.prepare(
    "SELECT id, project_id, environment, slug, first_seen, last_seen FROM deployments WHERE id = ?",
  )
    .bind(sim.deploymentId)
    .first<{
      id: string;
      project_id: string;
      environment: string;
      slug: string;
      first_seen: number;
      last_seen: number;
    }>();
  if (!row) throw new Error(`no deployment ${sim.deploymentId}`);
  return {
    id: row.id,
    projectId: row.project_id,
    environment: row.environment,
    slug: row.slug,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

/**
 * A deployment born `lifeMinutes` before now, with no history at all: its minutes only,
 * `behaviourAt(minute of its life)` picking each minute's behaviour (0 … lifeMinutes − 1).
 */
export async function simulateFresh(
  slug: string,
  behaviourAt: (minuteOfLife: number) => Behaviour,
  lifeMinutes: number,
  perMinute = 120,
  seed = 1,
): Promise<Simulation & { born: number }> {
  const projectId = `prj_sim_${slug}`;
  const deploymentId = `${projectId}:production:${slug}`;
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const born = now - lifeMinutes * MINUTE;
  const random = seededRandom(seed);
  const minutes = Array.from({ length: lifeMinutes }, (_, m) => {
    const ts = born + m * MINUTE;
    const events = minuteOfEvents(slug, ts, perMinute, behaviourAt(m), random);
    return { start: ts, data: encodeBucket(bucketOf(events)) };
  });
  await env.DEPLOYMENT_MONITOR.getByName(deploymentId).apply({
    deploymentId,
    token: `${slug}-life`,
    buckets: minutes,
  });
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO projects (id, name, retention_days, created_at) VALUES (?, ?, 30, ?)",
    ).bind(projectId, slug, now),
    env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
    ).bind(deploymentId, projectId, slug, born, now),
  ]);
  return { projectId, deploymentId, slug, now, born };
}
