// A deployment that alerts on its first evaluation, cheaply: 15 minutes of traffic
// applied straight to its Durable Object, a static error-rate rule with no `for`, and a
// Slack channel pointing at the test receiver (test/receiver.global.ts).
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { RuleSchema } from "../src/alerts/rules/rule-schema";
import type { deploymentsTable } from "../src/db/schema";
import { encodeBucket } from "../src/window/bucket";
import { bucketOf, interaction } from "./sample-events";

const MINUTE = 60_000;
export const ERROR_RULE_ID = "errors-static";
let seq = 0;

export interface AlertingDeployment {
  projectId: string;
  deployment: typeof deploymentsTable.$inferSelect;
  /** The receiver hook name its channel posts to. */
  hook: string;
  channelId: string;
  /** A minute (epoch ms) whose 15-minute window holds the traffic. */
  minute: number;
}

/** Interactions per minute, `errorShare` of them errors, for the 15 minutes before `minute`. */
async function traffic(deploymentId: string, slug: string, minute: number, errorShare: number) {
  const buckets = Array.from({ length: 15 }, (_, i) => {
    const start = minute - (i + 1) * MINUTE;
    const events = Array.from({ length: 20 }, (_, j) =>
      interaction({
        id: `${start}-${j}`,
        deployment: slug,
        ts: start + j,
        status: j < 20 * errorShare ? "error" : "ok",
      }),
    );
    return { start, data: encodeBucket(bucketOf(events)) };
  });
  await env.DEPLOYMENT_MONITOR.getByName(deploymentId).apply({
    deploymentId,
    token: `${deploymentId}-traffic-${minute}`,
    buckets,
  });
}

/**
 * A project with one deployment whose error rate (`errorShare`, default 50 %) breaches a
 * static 10 % rule at `minute` (firing after `forMinutes`, default 0), and one Slack channel.
 */
export async function alertingDeployment(
  name: string,
  opts: { errorShare?: number; projectId?: string; forMinutes?: number } = {},
): Promise<AlertingDeployment> {
  const tag = `${name}-${Date.now().toString(36)}-${seq++}`;
  const projectId = opts.projectId ?? `prj_${tag}`;
  const slug = `bot-${tag}`;
  const id = `${projectId}:production:${slug}`;
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
  const hook = `hook-${tag}`;
  const channelId = `ch_${tag}`;
  const rule = RuleSchema.parse({
    id: ERROR_RULE_ID,
    name: "Error rate above 10 %",
    metric: "error_rate",
    test: "static",
    threshold: 0.1,
    min_samples: 20,
    for_minutes: opts.forMinutes ?? 0,
    severity: "critical",
  });
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO projects (id, name, retention_days, created_at) VALUES (?, ?, 30, ?)",
    ).bind(projectId, name, minute),
    env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
    ).bind(id, projectId, slug, minute - 15 * MINUTE, minute),
    env.DB.prepare(
      "INSERT OR IGNORE INTO rules (id, project_id, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    ).bind(ERROR_RULE_ID, projectId, JSON.stringify(rule), minute, minute),
    env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 'alerts', ?, 1, ?)",
    ).bind(channelId, projectId, `${inject("receiverUrl")}/hook/${hook}`, minute),
  ]);
  await traffic(id, slug, minute, opts.errorShare ?? 0.5);
  return {
    projectId,
    deployment: {
      id,
      projectId,
      environment: "production",
      slug,
      firstSeen: minute - 15 * MINUTE,
      lastSeen: minute,
    },
    hook,
    channelId,
    minute,
  };
}

export interface Received {
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** What the receiver got on a hook so far. */
export async function received(hook: string): Promise<Received[]> {
  const res = await fetch(`${inject("receiverUrl")}/__received/${hook}`);
  return (await res.json()) as Received[];
}

export async function deliveriesOf(projectId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, status, attempts, queued_at, payload, incident_ids FROM deliveries WHERE project_id = ? ORDER BY created_at",
  )
    .bind(projectId)
    .all<{
      id: string;
      status: string;
      attempts: number;
      queued_at: number | null;
      payload: string;
      incident_ids: string;
    }>();
  return results;
}

export async function firingIncidents(deploymentId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, rule_id, status FROM incidents WHERE deployment_id = ? AND status = 'firing'",
  )
    .bind(deploymentId)
    .all<{ id: string; rule_id: string; status: string }>();
  return results;
}
