// GET /openapi.json and GET /docs. The document is generated from the routers' registry on the
// first request for it (never at module load: cold start), then kept for the isolate's life.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
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

/** Serves the document and its rendered reference page on `app`. */
export function serveDocs<E extends Env>(app: OpenAPIHono<E>): void {
  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: INFO.title }));
}
