// Every JSON body route answers 415 naming application/json when the Content-Type is missing
// or not JSON, instead of validating the body as `{}` and reporting sent fields as missing.
import { beforeAll, describe, expect, it } from "vitest";
import { mediaTypeOf, requireJsonContentType } from "../../src/http/content-type";
import { ApiError } from "../../src/http/errors";
import { createDeployment } from "../deployment-fixture";
import { ADMIN, call, createProject, type TestProject } from "../helpers";

interface BodyRoute {
  method: "POST" | "PATCH";
  path: (p: TestProject) => string;
  key: (p: TestProject) => string;
  /** A body the route accepts when sent as JSON. */
  body: unknown;
}

// An existing deployment: an unknown one answers 404 before the body is looked at.
const DEP_SLUG = "content-type-dep";

const ROUTES: BodyRoute[] = [
  { method: "POST", path: () => "/v1/projects", key: () => ADMIN, body: { name: "ct" } },
  {
    method: "POST",
    path: (p) => `/v1/projects/${p.id}/keys`,
    key: (p) => p.admin,
    body: { scopes: ["read"] },
  },
  {
    method: "POST",
    path: () => "/v1/channels",
    key: (p) => p.admin,
    body: { type: "slack", name: "#alerts", url: "https://hooks.slack.com/services/T/B/x" },
  },
  {
    method: "PATCH",
    path: () => "/v1/channels/ch_missing",
    key: (p) => p.admin,
    body: { name: "renamed" },
  },
  {
    method: "POST",
    path: () => "/v1/rules",
    key: (p) => p.admin,
    body: { name: "static errors", metric: "error_rate", test: "static", threshold: 0.5 },
  },
  {
    method: "PATCH",
    path: () => "/v1/rules/default:error_rate",
    key: (p) => p.admin,
    body: { enabled: false },
  },
  {
    method: "POST",
    path: () => `/v1/deployments/production/${DEP_SLUG}/baselines`,
    key: (p) => p.admin,
    body: { release: { prompt_version: "v1" } },
  },
  {
    method: "POST",
    path: () => "/v1/incidents/inc_missing/silence",
    key: (p) => p.admin,
    body: { duration_minutes: 30 },
  },
];

interface ErrorBody {
  error: { code: string; message: string; details: { expected: string; received: string | null } };
}

async function send(route: BodyRoute, p: TestProject, contentType: string | null) {
  const headers = new Headers({ authorization: `Bearer ${route.key(p)}` });
  if (contentType !== null) headers.set("content-type", contentType);
  // Bytes, not a string: a string body would get text/plain from the Request constructor.
  const body = new TextEncoder().encode(JSON.stringify(route.body));
  return call(route.path(p), { method: route.method, headers, body });
}

describe("mediaTypeOf", () => {
  it("names the media type in lower case without its parameters", () => {
    expect(mediaTypeOf("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(mediaTypeOf(" text/plain ;charset=UTF-8")).toBe("text/plain");
    expect(mediaTypeOf("")).toBe("");
  });

  it("answers the fallback only when no header was sent", () => {
    expect(mediaTypeOf(undefined)).toBe("");
    expect(mediaTypeOf(undefined, "application/json")).toBe("application/json");
    expect(mediaTypeOf("", "application/json")).toBe("");
  });
});

describe("requireJsonContentType", () => {
  it("accepts JSON media types with parameters and any case", () => {
    expect(() => requireJsonContentType("application/json")).not.toThrow();
    expect(() => requireJsonContentType("Application/JSON; charset=utf-8")).not.toThrow();
    expect(() => requireJsonContentType("application/merge-patch+json")).not.toThrow();
  });

  it("refuses a missing or other type with 415 naming the expected one", () => {
    for (const header of [undefined, "", "text/plain", "application/x-www-form-urlencoded"]) {
      let error: unknown;
      try {
        requireJsonContentType(header);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(415);
      expect((error as ApiError).message).toContain("application/json");
    }
  });
});

describe("JSON body routes", () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await createProject();
    await createDeployment(p.id, { slug: DEP_SLUG });
  });

  for (const route of ROUTES) {
    const name = `${route.method} ${route.path({ id: ":id" } as TestProject)}`;
    it(`${name} answers 415 naming application/json without a Content-Type`, async () => {
      const res = await send(route, p, null);
      expect(res.status).toBe(415);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("unsupported_media_type");
      expect(body.error.message).toBe(
        "No Content-Type was sent; this route takes a JSON body: send 'Content-Type: application/json'",
      );
      expect(body.error.details).toEqual({ expected: "application/json", received: null });
    });

    it(`${name} answers 415 for text/plain, naming both types`, async () => {
      const res = await send(route, p, "text/plain;charset=UTF-8");
      expect(res.status).toBe(415);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.message).toBe(
        "Content-Type 'text/plain' is not supported; this route takes a JSON body: send 'Content-Type: application/json'",
      );
      expect(body.error.details.received).toBe("text/plain");
    });

    it(`${name} reads the same body sent as application/json; charset=utf-8`, async () => {
      const res = await send(route, p, "application/json; charset=utf-8");
      expect(res.status).not.toBe(415);
      // Reaching the handler: created, changed, or the named resource is missing.
      expect([200, 201, 404]).toContain(res.status);
    });
  }
});
