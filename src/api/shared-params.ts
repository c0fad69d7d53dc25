// Request parts several routers share: the root token's `?project=`, the
// `:env/:slug` deployment path, and looking that deployment up.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { z } from "zod";
import { deploymentsTable } from "../db/schema";
import { SlugSchema } from "../ingest/event-schema";
import { ApiError } from "./errors";

/** Only the root token uses it: which project to act on. */
export const ProjectQuery = z.strictObject({ project: z.string().optional() });

export const DeploymentParams = z.object({ env: SlugSchema, slug: SlugSchema });

export async function findDeployment(db: D1Database, projectId: string, env: string, slug: string) {
  const [row] = await drizzle(db)
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
