// A deployment by its name within a project (environment and slug): the lookup the
// `:env/:slug` API routes, the export and the dashboard's deployment page share.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { deploymentsTable } from "./schema";

export type DeploymentRow = typeof deploymentsTable.$inferSelect;

/** The project's deployment `env`/`slug`, or null when it has none. */
export async function deploymentNamed(
  db: D1Database,
  projectId: string,
  env: string,
  slug: string,
): Promise<DeploymentRow | null> {
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
  return row ?? null;
}
