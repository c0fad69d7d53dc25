// A deployment row in D1 for tests that read it through the API without sending events, and
// its Durable Object for tests that hand it events directly, as the queue consumer does.
import { env } from "cloudflare:workers";
import type { ArchivedEvent } from "../src/archive/layout";
import type { MonitorRef } from "../src/monitor/ingest-request";
import { uniqueSlug } from "./helpers";

export interface TestDeployment {
  id: string;
  environment: string;
  slug: string;
}

export async function createDeployment(
  projectId: string,
  { slug = uniqueSlug(), environment = "production", seen = Date.now() } = {},
): Promise<TestDeployment> {
  const id = `${projectId}:${environment}:${slug}`;
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(id, projectId, environment, slug, seen, seen)
    .run();
  return { id, environment, slug };
}

/** The deployment as the consumer names it to its Durable Object: real traffic, not a probe's. */
export const monitorOf = (projectId: string, d: TestDeployment): MonitorRef => ({
  projectId,
  environment: d.environment,
  slug: d.slug,
  deploymentId: d.id,
  synthetic: false,
});

/** Hands events to the deployment's Durable Object in one ingest call, as the consumer does. */
export const ingestInto = (projectId: string, d: TestDeployment, events: ArchivedEvent[]) =>
  env.DEPLOYMENT_MONITOR.getByName(d.id).ingest({ monitor: monitorOf(projectId, d), events });
