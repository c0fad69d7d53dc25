// GET /v1/deployments/:env/:slug/verdicts (newest first, paged) and …/verdicts/:id, which
// with ?wait= holds the answer up to 60 s until the verdict is decided: the gate a deploy
// pipeline calls (docs/verdicts.md).
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { releaseVerdictsTable } from "../../db/schema";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { deploymentRouter } from "../../http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { toVerdict, VerdictSchema } from "./schema";

const tags = ["Release verdicts"];
const POLL_MS = 1_000;

const ListQuery = ProjectQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({
    description: "Verdicts per page (1-100, default 20)",
  }),
  cursor: z.string().max(80).optional().meta({ description: "`next_cursor` of the page before" }),
});

const listVerdicts = apiRoute({
  method: "get",
  path: "/verdicts",
  access: "read",
  errors: [404],
  tags,
  summary: "A deployment's release verdicts, newest first, a page at a time",
  request: { params: DeploymentParams, query: ListQuery },
  responses: {
    200: {
      description: "The verdicts",
      content: json(
        z.object({
          verdicts: z.array(VerdictSchema),
          next_cursor: z.string().nullable().meta({ description: "null on the last page" }),
        }),
      ),
    },
  },
});

const GetQuery = ProjectQuery.extend({
  wait: z.coerce.number().int().min(0).max(60).default(0).meta({
    description: "Seconds (0-60) to hold the answer while the verdict is pending",
  }),
});

const getVerdict = apiRoute({
  method: "get",
  path: "/verdicts/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "One release verdict; with ?wait= answers when decided or after that many seconds",
  request: {
    params: DeploymentParams.extend({ id: z.string().min(1).max(64) }),
    query: GetQuery,
  },
  responses: { 200: { description: "The verdict", content: json(VerdictSchema) } },
});

/** The list cursor: `v1.<started_at>.<id>` of the last verdict shown. */
function decodeCursor(cursor: string | undefined): [number, string] | null {
  if (cursor === undefined) return null;
  const match = /^v1\.(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(cursor);
  if (!match) throw new ApiError("bad_request", "cursor: not a next_cursor of this list");
  return [Number(match[1]), String(match[2])];
}

/** /v1/deployments/:env/:slug/verdicts and /verdicts/:id. */
export const verdictReads = deploymentRouter()
  .openapi(listVerdicts, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const t = releaseVerdictsTable;
    const rows = await drizzle(c.env.DB)
      .select()
      .from(t)
      .where(
        and(
          eq(t.deploymentId, c.var.deployment.id),
          after ? sql`(${t.startedAt}, ${t.id}) < (${after[0]}, ${after[1]})` : undefined,
        ),
      )
      .orderBy(desc(t.startedAt), desc(t.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? `v1.${last.startedAt}.${last.id}` : null;
    return c.json({ verdicts: page.map(toVerdict), next_cursor: next }, 200);
  })
  .openapi(getVerdict, async (c) => {
    const { id } = c.req.valid("param");
    const { wait } = c.req.valid("query");
    const deadline = Date.now() + wait * 1000;
    const read = () =>
      drizzle(c.env.DB)
        .select()
        .from(releaseVerdictsTable)
        .where(
          and(
            eq(releaseVerdictsTable.deploymentId, c.var.deployment.id),
            eq(releaseVerdictsTable.id, id),
          ),
        )
        .get();
    let row = await read();
    if (!row) throw new ApiError("not_found", `no verdict ${id} for this deployment`);
    while (row.state === "pending" && Date.now() < deadline) {
      const pause = Math.min(POLL_MS, deadline - Date.now());
      await new Promise((resolve) => setTimeout(resolve, pause));
      row = (await read()) ?? row;
    }
    return c.json(toVerdict(row), 200);
  });
