// The D1 rows an end-to-end attribution test needs: the project, its deployment and a Slack
// channel, so the cron evaluation's alerts land in the outbox.
import { env } from "cloudflare:workers";

export async function seedWithSlack(p: {
  projectId: string;
  deploymentId: string;
  slug: string;
  firstSeen: number;
  now: number;
}): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO projects (id, name, retention_days, created_at) VALUES (?, ?, 30, ?)",
    ).bind(p.projectId, p.slug, p.now),
    env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
    ).bind(p.deploymentId, p.projectId, p.slug, p.firstSeen, p.now),
    env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 'alerts', 'https://hooks.slack.com/services/T/B/x', 1, ?)",
    ).bind(`ch_${p.projectId}`, p.projectId, p.now),
  ]);
}
