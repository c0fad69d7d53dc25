// A deployment row in D1 for tests that read it through the API without sending events.
import { env } from "cloudflare:workers";
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
