// Read API (read scope): a project's deployments, and a deployment's current window and
// release markers.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { currentReadiness } from "../../alerts/evaluation/baseline-source";
import { deploymentsTable, releasesTable } from "../../db/schema";
import type { DeploymentRow } from "../../http/app-types";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { deploymentRouter, projectRouter } from "../../http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { BaselineReadinessSchema } from "../baselines/schema";
import { WindowSchema } from "./window-schema";

export const WINDOW_RANGES = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
} as const;

const WindowQuery = ProjectQuery.extend({
  range: z.enum(Object.keys(WINDOW_RANGES) as [keyof typeof WINDOW_RANGES]).default("1h"),
});

export const DeploymentSchema = z
  .object({
    environment: z.string(),
    slug: z.string(),
    first_seen: z.number().int().meta({ description: "Epoch ms of its first event" }),
    last_seen: z.number().int().meta({ description: "Epoch ms of its latest event" }),
  })
  .meta({ id: "Deployment" });

const ReleaseSchema = z
  .object({
    model: z.string().nullable(),
    provider: z.string().nullable(),
    prompt_version: z.string().nullable(),
    release: z.string().nullable(),
    first_seen: z.number().int(),
    last_seen: z.number().int(),
    event_count: z.number().int(),
  })
  .meta({
    id: "Release",
    description: "One combination of model, provider, prompt version and release seen in events",
  });

export const toDeployment = (row: DeploymentRow) => fromRow(DeploymentSchema, row);

type ReleaseRow = typeof releasesTable.$inferSelect;
// Stored as "" when an event did not name it.
const toRelease = (r: ReleaseRow) =>
  fromRow(ReleaseSchema, {
    ...r,
    model: r.model || null,
    provider: r.provider || null,
    promptVersion: r.promptVersion || null,
    release: r.release || null,
  });

const tags = ["Deployments"];

const listDeployments = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's deployments, most recently seen first",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The deployments",
      content: json(z.object({ deployments: z.array(DeploymentSchema) })),
    },
  },
});

const getWindow = apiRoute({
  method: "get",
  path: "/window",
  access: "read",
  errors: [404],
  tags,
  summary: "A deployment's summary over the last range (counts, rates, quantiles, mix, cost)",
  request: { params: DeploymentParams, query: WindowQuery },
  responses: {
    200: {
      description: "The window",
      content: json(
        z.object({
          deployment: DeploymentSchema,
          range: WindowQuery.shape.range.unwrap(),
          window: WindowSchema,
          baseline: BaselineReadinessSchema,
        }),
      ),
    },
  },
});

const ReleasesQuery = ProjectQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({
    description: "Releases per page (1-200, default 50)",
  }),
  cursor: z.string().max(64).optional().meta({ description: "`next_cursor` of the page before" }),
});

const listReleases = apiRoute({
  method: "get",
  path: "/releases",
  access: "read",
  errors: [404],
  tags,
  summary: "A deployment's release markers, oldest first, a page at a time",
  description:
    "A deployment keeps at most 50 combinations with recent traffic; newer ones past that " +
    "are counted in one whose fields all read `(other)`. Markers go with the 1-hour rollups " +
    "(the project's rollup_retention_days after their last event).",
  request: { params: DeploymentParams, query: ReleasesQuery },
  responses: {
    200: {
      description: "The releases",
      content: json(
        z.object({
          releases: z.array(ReleaseSchema),
          next_cursor: z.string().nullable().meta({ description: "null on the last page" }),
        }),
      ),
    },
  },
});

/** The releases cursor: `r1.<first_seen>.<rowid>` of the last release shown. */
function decodeReleaseCursor(cursor: string | undefined): [number, number] | null {
  if (cursor === undefined) return null;
  const match = /^r1\.(\d{1,16})\.(\d{1,16})$/.exec(cursor);
  if (!match) throw new ApiError("bad_request", "cursor: not a next_cursor of this list");
  return [Number(match[1]), Number(match[2])];
}

/** GET /v1/deployments. */
export const deployments = projectRouter().openapi(listDeployments, async (c) => {
  const rows = await drizzle(c.env.DB)
    .select()
    .from(deploymentsTable)
    .where(eq(deploymentsTable.projectId, c.var.projectId))
    .orderBy(desc(deploymentsTable.lastSeen));
  return c.json({ deployments: rows.map(toDeployment) }, 200);
});

/** /v1/deployments/:env/:slug/window and /releases. */
export const deploymentReads = deploymentRouter()
  .openapi(getWindow, async (c) => {
    const { range } = c.req.valid("query");
    const row = c.var.deployment;
    const now = Date.now();
    const snapshot = await c.env.DEPLOYMENT_MONITOR.getByName(row.id).snapshot({
      from: now - WINDOW_RANGES[range],
      to: now + 1,
    });
    const window = fromRow(WindowSchema, snapshot);
    const baseline = await currentReadiness(c.env, row, now);
    return c.json({ deployment: toDeployment(row), range, window, baseline }, 200);
  })
  .openapi(listReleases, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeReleaseCursor(cursor);
    const rowid = sql<number>`rowid`;
    const rows = await drizzle(c.env.DB)
      .select({ row: releasesTable, rowid })
      .from(releasesTable)
      .where(
        and(
          eq(releasesTable.deploymentId, c.var.deployment.id),
          after ? sql`(${releasesTable.firstSeen}, rowid) > (${after[0]}, ${after[1]})` : undefined,
        ),
      )
      .orderBy(asc(releasesTable.firstSeen), asc(rowid))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? `r1.${last.row.firstSeen}.${last.rowid}` : null;
    return c.json({ releases: page.map((r) => toRelease(r.row)), next_cursor: next }, 200);
  });
