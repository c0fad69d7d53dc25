// apiRoute: createRoute plus who may call the route. `access` becomes both the per-route
// scope check and the document's security requirement, and the route's error answers are
// documented from one table, so code and document cannot disagree on either.
import { createRoute, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Env, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-types";
import { type Access, requireScope } from "../auth";
import { requireJsonContentType } from "../content-type";
import { type ErrorResponses, type ErrorStatus, errorResponses } from "./error-responses";
import { securityFor } from "./security";

/** Every authenticated route can answer these. */
const ALWAYS = [400, 401, 403, 429, 500] as const;
type Always = (typeof ALWAYS)[number];

export interface ApiRouteConfig extends Omit<RouteConfig, "security" | "middleware" | "hide"> {
  access: Access;
  /** Error statuses beyond 400/401/403/429/500 (415 is added for JSON bodies). */
  errors?: readonly ErrorStatus[];
}

type JsonBodyStatus<R extends ApiRouteConfig> = R["request"] extends { body: object } ? 415 : never;
type ExtraStatus<R extends ApiRouteConfig> = R["errors"] extends readonly (infer S)[] ? S : never;

export type ApiRoute<R extends ApiRouteConfig> = Omit<R, "access" | "errors" | "responses"> & {
  responses: R["responses"] &
    ErrorResponses<Always | JsonBodyStatus<R> | Extract<ExtraStatus<R>, ErrorStatus>>;
  middleware: MiddlewareHandler<AppEnv>[];
  security: ReturnType<typeof securityFor>;
  getRoutingPath(): string;
};

/**
 * The body check Hono's json validator lacks: without a JSON Content-Type it would validate
 * `{}` and report fields the client did send as missing; 415 names the real problem.
 */
const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireJsonContentType(c.req.header("content-type"));
  await next();
};

export function apiRoute<const R extends ApiRouteConfig>(config: R): ApiRoute<R> {
  const { access, errors = [], ...route } = config;
  const hasBody = route.request?.body !== undefined;
  const statuses: ErrorStatus[] = [...ALWAYS, ...(hasBody ? [415 as const] : []), ...errors];
  const body = route.request?.body;
  return createRoute({
    ...route,
    ...(body && route.request
      ? { request: { ...route.request, body: { required: true, ...body } } }
      : {}),
    security: securityFor(access),
    middleware: hasBody ? [requireScope(access), jsonBody] : [requireScope(access)],
    responses: { ...errorResponses([...new Set(statuses)].sort()), ...route.responses },
  }) as unknown as ApiRoute<R>;
}

/** `content` for a JSON request body or response. */
export function json<S>(schema: S) {
  return { "application/json": { schema } };
}

/**
 * Documents a route without request validators, for the ingest hot path: its body is parsed
 * and checked by src/ingest (the fast path, then the same zod schemas the document shows),
 * so a request costs what it did before the document existed. Register it on the router
 * that serves the route, before the router is mounted.
 */
export function documentOnly<E extends Env>(
  router: OpenAPIHono<E>,
  route: ApiRoute<ApiRouteConfig>,
): void {
  const { middleware: _middleware, ...documented } = route;
  router.openAPIRegistry.registerPath(documented);
}
