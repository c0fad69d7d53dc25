// GET /openapi.json and GET /docs. The document is generated from the routers' registry on the
// first request for it (never at module load: cold start), then kept for the isolate's life.
// /docs is the API reference (the pinned @scalar/api-reference) whose scripts are served from
// this Worker's own static assets (/docs/assets/, wrangler.toml [assets]); its
// Content-Security-Policy allows no other script, so no third party runs on the origin that
// also serves the signed-in dashboard.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { SECURITY_SCHEMES } from "./security";

const INFO = {
  title: "Driftwatch API",
  version: "1",
  description:
    "Edge-native monitoring for LLM applications. Send events to `/v1/events` (or OTLP/HTTP " +
    "JSON to `/v1/traces`); read deployments, drift checks and incidents; configure rules, " +
    "channels, baselines and probes. Every error answers `{error: {code, message, requestId, " +
    "details?}}`; every answer names its request in an `x-request-id` header.",
};

// biome-ignore lint/suspicious/noExplicitAny: any router's registry generates the document
type AnyApp = OpenAPIHono<any, any, any>;

let document: object | undefined;

/** The header app.ts sets on every answer. */
const REQUEST_ID_HEADER = {
  description: "This request's id (cf-ray on Cloudflare): in error bodies and audit entries too",
  schema: { type: "string" },
};

type Paths = Record<string, Record<string, { responses?: Record<string, { headers?: object }> }>>;

/** Adds the request-id header to every documented answer. */
function withRequestIdHeader(paths: Paths): Paths {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        response.headers = {
          ...response.headers,
          "x-request-id": { $ref: "#/components/headers/RequestId" },
        };
      }
    }
  }
  return paths;
}

/** The OpenAPI 3.1 document of every route registered on `app` (built once per isolate). */
export function openApiDocument(app: AnyApp): object {
  if (document === undefined) {
    const generated = app.getOpenAPI31Document({ openapi: "3.1.0", info: INFO });
    document = {
      ...generated,
      paths: withRequestIdHeader((generated.paths ?? {}) as Paths),
      components: {
        ...generated.components,
        headers: { RequestId: REQUEST_ID_HEADER },
        securitySchemes: SECURITY_SCHEMES,
      },
    };
  }
  return document;
}

/** Where the reference's scripts are served from (public/docs/assets/). */
export const DOCS_ASSETS = "/docs/assets/";

/**
 * Scripts only from /docs/assets/ on this origin (no inline script, no eval); the reference
 * injects its styles, so inline styles are allowed; requests ("Try it") only to this origin.
 */
export function docsContentSecurityPolicy(origin: string): string {
  return [
    "default-src 'none'",
    `script-src ${origin}${DOCS_ASSETS}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${INFO.title}</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${DOCS_ASSETS}api-reference.js"></script>
    <script src="${DOCS_ASSETS}init.js"></script>
  </body>
</html>`;

/** Serves the document and its rendered reference page on `app`. */
export function serveDocs<E extends Env>(app: OpenAPIHono<E>): void {
  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));
  app.get("/docs", (c) =>
    c.html(DOCS_PAGE, 200, {
      "content-security-policy": docsContentSecurityPolicy(new URL(c.req.url).origin),
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    }),
  );
}
