// Shared test helpers: calling the Worker, creating projects and keys, waiting for the queue.
import { env, exports } from "cloudflare:workers";
import { type ArchivedEvent, decodeArchive, projectPrefix } from "../src/archive/layout";
import { syntheticMonitorOf } from "../src/monitor/monitor-id";

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

/**
 * One more ingest key of the project. Each key creates at most 20 new deployments
 * (MAX_NEW_DEPLOYMENTS_PER_KEY): tests that make more use several.
 */
export async function newIngestKey(projectId: string): Promise<string> {
  const res = await call(`/v1/projects/${projectId}/keys`, {
    method: "POST",
    key: ADMIN,
    json: { scopes: ["ingest"] },
  });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: { secret: string } }).key.secret;
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

/** The monitors that may hold a project's events: its deployments and their probe siblings. */
async function monitorsOf(projectId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT id FROM deployments WHERE project_id = ?1
     UNION SELECT deployment_id FROM probes WHERE project_id = ?1`,
  )
    .bind(projectId)
    .all<{ id: string }>();
  return results.flatMap((r) => [r.id, syntheticMonitorOf(r.id)]);
}

/**
 * Every event of the project accepted so far, as archived: each monitor writes what
 * waits in its outbox (flushArchive), then the project's R2 objects are read back.
 */
export async function archivedEvents(projectId: string): Promise<ArchivedEvent[]> {
  for (const id of await monitorsOf(projectId)) {
    await env.DEPLOYMENT_MONITOR.getByName(id).flushArchive();
  }
  const events: ArchivedEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.ARCHIVE.list({ prefix: projectPrefix(projectId), cursor });
    for (const o of page.objects) {
      const body = await env.ARCHIVE.get(o.key);
      if (body) events.push(...decodeArchive(new Uint8Array(await body.arrayBuffer())));
    }
    if (!page.truncated) return events;
    cursor = page.cursor;
  }
}

/** Events accepted (counted once) for the project: the ids its monitors' ledgers hold. */
export async function storedEventCount(projectId: string): Promise<number> {
  let n = 0;
  for (const id of await monitorsOf(projectId)) {
    n += (await env.DEPLOYMENT_MONITOR.getByName(id).stats()).ledgerIds;
  }
  return n;
}

let seq = 0;
/** A unique deployment slug per call: storage is shared by the tests of one file. */
export const uniqueSlug = (prefix = "bot") => `${prefix}-${Date.now().toString(36)}-${seq++}`;
