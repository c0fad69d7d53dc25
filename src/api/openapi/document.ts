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
    "details?}}`.",
};

// biome-ignore lint/suspicious/noExplicitAny: any router's registry generates the document
type AnyApp = OpenAPIHono<any, any, any>;

let document: object | undefined;

/** The OpenAPI 3.1 document of every route registered on `app` (built once per isolate). */
export function openApiDocument(app: AnyApp): object {
  if (document === undefined) {
    const generated = app.getOpenAPI31Document({ openapi: "3.1.0", info: INFO });
    document = {
      ...generated,
      components: { ...generated.components, securitySchemes: SECURITY_SCHEMES },
    };
  }
  return document;
}

/** Serves the document and its rendered reference page on `app`. */
export function serveDocs<E extends Env>(app: OpenAPIHono<E>): void {
  app.get("/openapi.json", (c) => c.json(openApiDocument(app)));
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: INFO.title }));
}
