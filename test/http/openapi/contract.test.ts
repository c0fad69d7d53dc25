// The OpenAPI contract: every route the app registers is in GET /openapi.json (or listed
// below as not yet converted, or as not part of the API), the document is valid OpenAPI 3.1
// by a maintained validator, and /docs renders it.
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { app } from "../../../src/app";
import { BASE } from "../../helpers";

/** Routes that are not the API: the document itself, the HTML dashboard, the icon, a bench-only route. */
const NOT_API = new Set([
  "GET /openapi.json",
  "GET /docs",
  "GET /favicon.svg",
  "GET /favicon.ico",
  "POST /__bench/bare",
  "GET /__bench/d1-statements",
  "GET /dashboard",
  "GET /dashboard/d/{env}/{slug}",
  "GET /dashboard/d/{env}/{slug}/releases",
  "GET /dashboard/d/{env}/{slug}/breakdown",
  "GET /dashboard/d/{env}/{slug}/baselines",
  "POST /dashboard/d/{env}/{slug}/baselines",
  "POST /dashboard/d/{env}/{slug}/baselines/{id}/{action}",
  "GET /dashboard/probes",
  "GET /dashboard/probes/{id}",
  "POST /dashboard/sign-in",
  "POST /dashboard/sign-out",
  "POST /dashboard/incidents/{id}/{action}",
  "GET /dashboard/incidents",
  "GET /dashboard/incidents/{id}",
  "GET /dashboard/incidents/{id}/examples.ndjson",
  "GET /dashboard/settings/channels",
  "POST /dashboard/settings/channels",
  "POST /dashboard/settings/channels/{id}",
  "POST /dashboard/settings/channels/{id}/{action}",
  "GET /dashboard/settings/keys",
  "POST /dashboard/settings/keys",
  "POST /dashboard/settings/keys/{id}/{action}",
  "GET /dashboard/settings/probes",
  "GET /dashboard/settings/probes/{id}",
  "POST /dashboard/settings/probes",
  "POST /dashboard/settings/probes/{id}/delete",
  "POST /dashboard/settings/probes/{id}/{switch}",
  "POST /dashboard/settings/probes/{id}",
  "GET /dashboard/settings/rules",
  "POST /dashboard/settings/rules",
  "POST /dashboard/settings/rules/{id}",
  "POST /dashboard/settings/rules/{id}/delete",
  "GET /dashboard/settings/status-page",
  "POST /dashboard/settings/status-page",
  "POST /dashboard/settings/status-page/remove",
  "GET /dashboard/spend",
  "GET /status/{page}/subscribe",
  "POST /status/{page}/subscribe",
  "GET /status/{page}/subscriptions/{id}/{action}",
  "POST /status/{page}/subscriptions/{id}/{action}",
  "GET /__bench/intake/{monitor}",
]);

/**
 * Routers not yet on the OpenAPI pattern (src/http/openapi/). Remove a
 * route here when its router converts: the test fails while a listed route is documented, and
 * fails for any route that is neither documented nor listed.
 */
const NOT_YET_DOCUMENTED = new Set<string>([]);

/**
 * Operations anyone may call, documented with no security requirement. Every other
 * operation must name a scope: a route missing from here and from its router's `access`
 * fails the check below instead of passing as public.
 */
const PUBLIC_OPERATIONS = new Set([
  "GET /healthz",
  // src/status/status-routes.tsx: the public status page and its feeds
  "GET /status/{page}",
  "GET /status/{page}/summary.json",
  "GET /status/{page}/status.json",
  "GET /status/{page}/incidents.json",
  "GET /status/{page}/feed.atom",
  "GET /status/{page}/badge.svg",
  "GET /status/{page}/scheduled-maintenances/upcoming.json",
  "GET /status/{page}/scheduled-maintenances/active.json",
]);

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

/** Hono's `/:id` and `/:action{ack|silence}` as OpenAPI's `/{id}`, `/{action}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

/** Every method and path the app answers (middleware-only entries left out). */
function registeredRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${openApiPath(r.path)}`);
  return [...new Set(routes)];
}

async function fetchDocument(): Promise<Document> {
  const res = await exports.default.fetch(new Request(`${BASE}/openapi.json`));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as Document;
}

const documented = (doc: Document, route: string) => {
  const [method = "", path = ""] = route.split(" ");
  return doc.paths[path]?.[method.toLowerCase()] !== undefined;
};

describe("GET /openapi.json", () => {
  it("documents every registered route that is neither listed as unconverted nor outside the API", async () => {
    const doc = await fetchDocument();
    const missing = registeredRoutes().filter(
      (r) => !NOT_API.has(r) && !NOT_YET_DOCUMENTED.has(r) && !documented(doc, r),
    );
    expect(missing).toEqual([]);
  });

  it("lists as unconverted only routes that exist and are still undocumented", async () => {
    const doc = await fetchDocument();
    const registered = new Set(registeredRoutes());
    const stale = [...NOT_YET_DOCUMENTED].filter((r) => !registered.has(r) || documented(doc, r));
    expect(stale).toEqual([]);
  });

  it("gives every authenticated operation a scope and its error answers", async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components.securitySchemes)).toEqual(["apiKey", "queryKey"]);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        const scopes = op.security?.flatMap((s) => Object.values(s).flat()) ?? [];
        if (PUBLIC_OPERATIONS.has(where)) {
          expect(scopes, where).toEqual([]);
          expect(op.responses["401"], `${where} 401`).toBeUndefined();
        } else {
          expect(scopes.length, where).toBeGreaterThan(0);
          for (const status of ["400", "401", "403", "429", "500"]) {
            expect(op.responses[status], `${where} ${status}`).toBeDefined();
          }
        }
        // Every `{param}` of the path is a documented path parameter.
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          const param = op.parameters?.find((p) => p.in === "path" && p.name === name);
          expect(param, `${where} {${name}}`).toBeDefined();
        }
      }
    }
  });

  it("documents the x-request-id header on every answer, which real answers carry", async () => {
    const doc = await fetchDocument();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.headers?.["x-request-id"], `${method} ${path} ${status}`).toEqual({
            $ref: "#/components/headers/RequestId",
          });
        }
      }
    }
    const ok = await exports.default.fetch(new Request(`${BASE}/healthz`));
    expect(ok.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const denied = await exports.default.fetch(new Request(`${BASE}/v1/rules`));
    expect(denied.status).toBe(401);
    const body = (await denied.json()) as { error: { requestId: string } };
    expect(denied.headers.get("x-request-id")).toBe(body.error.requestId);
    const ray = await exports.default.fetch(
      new Request(`${BASE}/healthz`, { headers: { "cf-ray": "8f1e2d3c4b5a6978-AMS" } }),
    );
    expect(ray.headers.get("x-request-id")).toBe("8f1e2d3c4b5a6978-AMS");
  });

  it("is a valid OpenAPI 3.1 document by @seriousme/openapi-schema-validator", async () => {
    const doc = await fetchDocument();
    const res = await fetch(inject("openapiValidatorUrl"), {
      method: "POST",
      body: JSON.stringify(doc),
    });
    const result = (await res.json()) as { valid: boolean; version: string; errors?: unknown };
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: "3.1" });
  });

  it("serves the same document object on later requests (built once, on first request)", async () => {
    const first = await (await exports.default.fetch(new Request(`${BASE}/openapi.json`))).text();
    const again = await (await exports.default.fetch(new Request(`${BASE}/openapi.json`))).text();
    expect(again).toBe(first);
  });
});

describe("GET /docs", () => {
  it("renders the API reference page, whose own script loads /openapi.json", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/docs`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<script src="/docs/assets/init.js"></script>');
    expect(html).toContain("<title>Driftwatch API</title>");
  });
});
