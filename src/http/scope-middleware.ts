// The project (and deployment) a request acts on, resolved once per request by middleware on
// the router, after authenticated(): handlers read `c.var.projectId` / `c.var.deployment`.
// Like authenticated(), each step reuses an earlier answer, so routers sharing a path prefix
// may be mounted in any order.
import type { MiddlewareHandler } from "hono";
import { deploymentNamed } from "../db/deployment-named";
import type { z } from "../zod";
import type { DeploymentEnv, DeploymentRow, ProjectEnv } from "./app-types";
import { projectOf } from "./auth";
import { ApiError, validationError } from "./errors";
import { DeploymentParams, IdSchema, ProjectIdParams } from "./shared-params";

function parsed<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

/** Routers mounted at `/v1/projects/:id`: the project is the path's. */
export const projectFromPath: MiddlewareHandler<ProjectEnv> = async (c, next) => {
  if (c.get("projectId") === undefined) {
    const { id } = parsed(ProjectIdParams, { id: c.req.param("id") }, "path parameter");
    c.set("projectId", projectOf(c, id));
  }
  await next();
};

/** Other routers: the key's project, or the root token's `?project=`. */
export const projectFromQuery: MiddlewareHandler<ProjectEnv> = async (c, next) => {
  if (c.get("projectId") === undefined) {
    const project = c.req.query("project");
    if (project !== undefined) parsed(IdSchema, project, "query");
    c.set("projectId", projectOf(c, project));
  }
  await next();
};

/** The deployment `env`/`slug` of the project (404 if it has none). */
export async function deploymentIn(
  db: D1Database,
  projectId: string,
  env: string,
  slug: string,
): Promise<DeploymentRow> {
  const row = await deploymentNamed(db, projectId, env, slug);
  if (!row) throw new ApiError("not_found", `No deployment '${slug}' in environment '${env}'`);
  return row;
}

/** Routers mounted at `/v1/deployments/:env/:slug`: the deployment, in the project (404). */
export const deploymentFromPath: MiddlewareHandler<DeploymentEnv> = async (c, next) => {
  if (c.get("deployment") === undefined) {
    const { env, slug } = parsed(
      DeploymentParams,
      { env: c.req.param("env"), slug: c.req.param("slug") },
      "path parameter",
    );
    c.set("deployment", await deploymentIn(c.env.DB, c.get("projectId"), env, slug));
  }
  await next();
};
