// Read API (read scope): deployments, their current window and release markers.
import { asc, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { deploymentsTable, releasesTable } from "../db/schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { projectOf, requireAuth } from "./auth";
import { DeploymentParams, findDeployment, ProjectQuery } from "./shared-params";
import { validate } from "./validate";

export const WINDOW_RANGES = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
} as const;

const WindowQuery = z.strictObject({
  range: z.enum(Object.keys(WINDOW_RANGES) as [keyof typeof WINDOW_RANGES]).default("1h"),
  project: z.string().optional(),
});

type DeploymentRow = typeof deploymentsTable.$inferSelect;
const deploymentView = (d: DeploymentRow) => ({
  environment: d.environment,
  slug: d.slug,
  first_seen: d.firstSeen,
  last_seen: d.lastSeen,
});

// Scope per route, not `.use()`: a `use` here would also run for every other router mounted
// under /v1/deployments (baselines, deletion), making the mount order matter.
const read = requireAuth({ scope: "read" });

export const deployments = new Hono<AppEnv>()
  .get("/", read, validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(deploymentsTable)
      .where(eq(deploymentsTable.projectId, projectId))
      .orderBy(desc(deploymentsTable.lastSeen));
    return c.json({ deployments: rows.map(deploymentView) });
  })
  .get(
    "/:env/:slug/window",
    read,
    validate("param", DeploymentParams),
    validate("query", WindowQuery),
    async (c) => {
      const { env, slug } = c.req.valid("param");
      const query = c.req.valid("query");
      const row = await findDeployment(c, { env, slug }, query.project);
      const now = Date.now();
      const snapshot = await c.env.DEPLOYMENT_MONITOR.getByName(row.id).snapshot({
        from: now - WINDOW_RANGES[query.range],
        to: now + 1,
      });
      return c.json({ deployment: deploymentView(row), range: query.range, window: snapshot });
    },
  )
  .get(
    "/:env/:slug/releases",
    read,
    validate("param", DeploymentParams),
    validate("query", ProjectQuery),
    async (c) => {
      const { env, slug } = c.req.valid("param");
      const row = await findDeployment(c, { env, slug }, c.req.valid("query").project);
      const rows = await drizzle(c.env.DB)
        .select()
        .from(releasesTable)
        .where(eq(releasesTable.deploymentId, row.id))
        .orderBy(asc(releasesTable.firstSeen));
      return c.json({
        releases: rows.map((r) => ({
          model: r.model || null,
          provider: r.provider || null,
          prompt_version: r.promptVersion || null,
          release: r.release || null,
          first_seen: r.firstSeen,
          last_seen: r.lastSeen,
          event_count: r.eventCount,
        })),
      });
    },
  );
