// Routers in the OpenAPI pattern: OpenAPIHono with the shared defaultHook, which turns a
// failed request validation into the API's error envelope (400, each field's path and
// message), and the middleware that scopes each kind of router once per request.
import { type Hook, OpenAPIHono } from "@hono/zod-openapi";
import type { Env, ValidationTargets } from "hono";
import type { z } from "../../zod";
import type { AppEnv, DeploymentEnv, ProjectEnv } from "../app-types";
import { authenticated, requireScope } from "../auth";
import { validationError } from "../errors";
import { deploymentFromPath, projectFromPath, projectFromQuery } from "../scope-middleware";

const TARGET_NAMES: Partial<Record<keyof ValidationTargets, string>> = {
  json: "request body",
  param: "path parameter",
};

// biome-ignore lint/suspicious/noExplicitAny: one hook for routes of every input and env type
export const defaultHook: Hook<any, any, string, void> = (result) => {
  if (!result.success) {
    throw validationError(result.error as z.ZodError, TARGET_NAMES[result.target] ?? result.target);
  }
};

export function newRouter<E extends Env = AppEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook });
}

/** A router for one project's resources: authenticated, the project from the key or `?project=`. */
export function projectRouter(): OpenAPIHono<ProjectEnv> {
  const router = newRouter<ProjectEnv>();
  router.use(authenticated(), projectFromQuery);
  return router;
}

/** A router mounted at `/v1/projects/:id`: authenticated, the project from the path. */
export function projectPathRouter(): OpenAPIHono<ProjectEnv> {
  const router = newRouter<ProjectEnv>();
  router.use(authenticated(), projectFromPath);
  return router;
}

/**
 * A router mounted at `/v1/deployments/:env/:slug`: `c.var.deployment` is resolved once.
 * Every route here needs read (admin implies it), checked before the deployment is looked
 * up: otherwise an ingest key would get 404 for an unknown deployment and 403 for a known
 * one, and could list which exist.
 */
export function deploymentRouter(): OpenAPIHono<DeploymentEnv> {
  const router = newRouter<DeploymentEnv>();
  router.use(authenticated(), projectFromQuery, requireScope("read"), deploymentFromPath);
  return router;
}
