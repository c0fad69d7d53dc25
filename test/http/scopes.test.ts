// Route × scope: scopes nest (admin ⊇ read) and ingest stays apart. Every route of the API is
// called with each kind of project key; a refusal is 403, anything else (200, 400, 404...)
// means the key got past the scope check.
import { beforeAll, describe, expect, it } from "vitest";
import { scopeCovers } from "../../src/http/scopes";
import { createDeployment } from "../deployment-fixture";
import { call, createProject, type TestProject, uniqueSlug } from "../helpers";

interface Route {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (p: TestProject) => string;
  json?: unknown;
}

// An existing deployment, so that a route's own answer (200, 404...) is what a key with the
// scope gets; a key without it gets 403 whether the deployment exists or not.
const DEP_SLUG = "scopes-dep";
const DEP = `/v1/deployments/production/${DEP_SLUG}`;
const READ_ROUTES: Route[] = [
  { method: "GET", path: () => "/v1/deployments" },
  { method: "GET", path: () => `${DEP}/window` },
  { method: "GET", path: () => `${DEP}/releases` },
  { method: "GET", path: () => `${DEP}/baselines` },
  { method: "GET", path: () => `${DEP}/checks` },
  { method: "GET", path: () => "/v1/channels" },
  { method: "GET", path: () => "/v1/channels/ch_missing" },
  { method: "GET", path: () => "/v1/rules" },
  { method: "GET", path: () => "/v1/rules/default:error_rate" },
  { method: "GET", path: () => "/v1/incidents" },
  { method: "GET", path: () => "/v1/incidents/inc_missing" },
  { method: "GET", path: () => "/v1/incidents/inc_missing/deliveries" },
  { method: "GET", path: () => "/v1/events/export?deployment=nobody&from=0&to=1" },
];

const ADMIN_ROUTES: Route[] = [
  { method: "GET", path: (p) => `/v1/projects/${p.id}` },
  { method: "GET", path: (p) => `/v1/projects/${p.id}/keys` },
  { method: "GET", path: () => "/v1/audit" },
  { method: "POST", path: (p) => `/v1/projects/${p.id}/keys`, json: { scopes: ["read"] } },
  { method: "DELETE", path: (p) => `/v1/projects/${p.id}/keys/key_missing` },
  { method: "POST", path: (p) => `/v1/projects/${p.id}/keys/key_missing/rotate`, json: {} },
  { method: "POST", path: (p) => `/v1/projects/${p.id}/hash-secret/rotate` },
  { method: "POST", path: () => "/v1/channels", json: { type: "slack" } },
  { method: "PATCH", path: () => "/v1/channels/ch_missing", json: {} },
  { method: "DELETE", path: () => "/v1/channels/ch_missing" },
  { method: "POST", path: () => "/v1/channels/ch_missing/test" },
  { method: "POST", path: () => "/v1/rules", json: {} },
  { method: "PATCH", path: () => "/v1/rules/default:error_rate", json: { enabled: true } },
  { method: "DELETE", path: () => "/v1/rules/rule_missing" },
  { method: "POST", path: () => `${DEP}/baselines`, json: {} },
  { method: "POST", path: () => `${DEP}/baselines/bl_missing/activate` },
  { method: "DELETE", path: () => `${DEP}/baselines/bl_missing` },
  { method: "DELETE", path: () => DEP },
  { method: "POST", path: () => "/v1/incidents/inc_missing/ack" },
  {
    method: "POST",
    path: () => "/v1/incidents/inc_missing/silence",
    json: { duration_minutes: 5 },
  },
  { method: "POST", path: () => "/v1/incidents/inc_missing/resolve" },
];

const INGEST_ROUTES: Route[] = [
  { method: "POST", path: () => "/v1/events", json: { deployment: uniqueSlug(), latency_ms: 1 } },
  { method: "POST", path: () => "/v1/traces", json: { resourceSpans: [] } },
];

const label = (r: Route) => `${r.method} ${r.path({ id: ":id" } as TestProject)}`;

async function statusOf(route: Route, p: TestProject, key: string): Promise<number> {
  const res = await call(route.path(p), {
    method: route.method,
    key,
    ...(route.json === undefined ? {} : { json: route.json }),
  });
  await res.body?.cancel();
  return res.status;
}

describe("scopeCovers", () => {
  it("lets admin imply read, and nothing imply ingest or admin", () => {
    expect(scopeCovers(["admin"], "read")).toBe(true);
    expect(scopeCovers(["admin"], "admin")).toBe(true);
    expect(scopeCovers(["admin"], "ingest")).toBe(false);
    expect(scopeCovers(["read"], "admin")).toBe(false);
    expect(scopeCovers(["read"], "ingest")).toBe(false);
    expect(scopeCovers(["ingest"], "read")).toBe(false);
    expect(scopeCovers(["ingest", "read"], "read")).toBe(true);
    expect(scopeCovers([], "read")).toBe(false);
  });
});

describe("route × scope", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await createProject();
    await createDeployment(p.id, { slug: DEP_SLUG });
    // The file's first requests load the whole app: slow on a busy machine.
  }, 30_000);

  for (const route of READ_ROUTES) {
    it(`${label(route)}: read and admin keys may read it, an ingest key may not`, async () => {
      expect(await statusOf(route, p, p.read)).not.toBe(403);
      expect(await statusOf(route, p, p.admin)).not.toBe(403);
      expect(await statusOf(route, p, p.ingest)).toBe(403);
    });
  }

  for (const route of ADMIN_ROUTES) {
    it(`${label(route)}: only an admin key may change it, read and ingest keys may not`, async () => {
      expect(await statusOf(route, p, p.read)).toBe(403);
      expect(await statusOf(route, p, p.ingest)).toBe(403);
      expect(await statusOf(route, p, p.admin)).not.toBe(403);
    });
  }

  for (const route of INGEST_ROUTES) {
    it(`${label(route)}: only an ingest key may send events, read and admin keys may not`, async () => {
      expect(await statusOf(route, p, p.read)).toBe(403);
      expect(await statusOf(route, p, p.admin)).toBe(403);
      expect(await statusOf(route, p, p.ingest)).not.toBe(403);
    });
  }

  it("answers an ingest key 403 for an unknown deployment as for a known one", async () => {
    const known = await call(`${DEP}/window`, { key: p.ingest });
    const unknown = await call("/v1/deployments/production/no-such-deployment/window", {
      key: p.ingest,
    });
    const otherEnv = await call(`/v1/deployments/staging/${DEP_SLUG}`, {
      method: "DELETE",
      key: p.ingest,
    });
    expect([known.status, unknown.status, otherEnv.status]).toEqual([403, 403, 403]);
  });

  it("keeps project creation to the root token, even for an admin key", async () => {
    const res = await call("/v1/projects", { method: "POST", key: p.admin, json: { name: "x" } });
    expect(res.status).toBe(403);
  });

  it("keeps project deletion to the root token, even for an admin key", async () => {
    const res = await call(`/v1/projects/${p.id}`, { method: "DELETE", key: p.admin });
    expect(res.status).toBe(403);
  });
});
