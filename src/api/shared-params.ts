// Request parts several routers share: the root token's `?project=`, the
// `:env/:slug` deployment path, ids in paths, and (for routers not yet on the OpenAPI
// pattern, which use scope-middleware.ts instead) looking that deployment up.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { deploymentsTable } from "../db/schema";
import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { projectOf } from "./auth";
import { ApiError } from "./errors";

/** Project, key and other resource ids in paths: `prj_…`, `key_…` (newId), at most 64 characters. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.-]{1,64}$/, "must be an id such as prj_3Jx9… (letters, digits, _ - : .)");

export const ProjectIdParams = z.object({ id: IdSchema.meta({ description: "Project id" }) });

/** Only the root token uses it: which project to act on. */
export const ProjectQuery = z.strictObject({
  project: IdSchema.optional().meta({
    description: "Root token only: the project to act on (a key acts on its own project)",
  }),
});

export const DeploymentParams = z.object({
  env: SlugSchema.meta({ description: "Environment, e.g. production" }),
  slug: SlugSchema.meta({ description: "Deployment slug" }),
});

/** The deployment a `:env/:slug` route names, in the caller's project (404 if unknown). */
export async function findDeployment(
  c: Context<AppEnv>,
  { env, slug }: { env: string; slug: string },
  project?: string,
) {
  const projectId = projectOf(c, project);
  const [row] = await drizzle(c.env.DB)
    .select()
    .from(deploymentsTable)
    .where(
      and(
        eq(deploymentsTable.projectId, projectId),
        eq(deploymentsTable.environment, env),
        eq(deploymentsTable.slug, slug),
      ),
    );
  if (!row) throw new ApiError("not_found", `No deployment '${slug}' in environment '${env}'`);
  return row;
}
