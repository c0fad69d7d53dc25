// Shared test helpers: calling the Worker, creating projects and keys, waiting for the queue.
import { env, exports } from "cloudflare:workers";

export const ADMIN = "test-admin-token";
export const BASE = "http://driftwatch.test";

export function call(path: string, init: RequestInit & { key?: string; json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

export interface TestProject {
  id: string;
  ingest: string;
  read: string;
  admin: string;
}

export async function createProject(name = "test"): Promise<TestProject> {
  const res = await call("/v1/projects", { method: "POST", key: ADMIN, json: { name } });
  if (res.status !== 201) throw new Error(`project: ${res.status} ${await res.text()}`);
  const { project } = (await res.json()) as { project: { id: string } };
  const key = async (scopes: string[]) => {
    const r = await call(`/v1/projects/${project.id}/keys`, {
      method: "POST",
      key: ADMIN,
      json: { scopes },
    });
    return ((await r.json()) as { key: { secret: string } }).key.secret;
  };
  return {
    id: project.id,
    ingest: await key(["ingest"]),
    read: await key(["read"]),
    admin: await key(["admin"]),
  };
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Events stored and counted (their claim is closed). */
export async function storedEventCount(projectId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM events e WHERE project_id = ? AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.token = e.claim)",
  )
    .bind(projectId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

let seq = 0;
/** A unique deployment slug per call: storage is shared by the tests of one file. */
export const uniqueSlug = (prefix = "bot") => `${prefix}-${Date.now().toString(36)}-${seq++}`;
