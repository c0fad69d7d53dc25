// Request parts several routers share: the root token's `?project=`, the
// `:env/:slug` deployment path, and looking that deployment up.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { deploymentsTable } from "../db/schema";
import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { projectOf } from "./auth";
import { ApiError } from "./errors";

/** Only the root token uses it: which project to act on. */
export const ProjectQuery = z.strictObject({ project: z.string().optional() });

export const DeploymentParams = z.object({ env: SlugSchema, slug: SlugSchema });

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
