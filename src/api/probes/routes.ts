// /v1/probes: synthetic canary probes (src/probes). Admin scope to change, read scope to
// list and read runs. The changes are src/http/probe-actions.ts's, shared with the dashboard. Secret header values and the URL's secrets (user, password, query
// values) are stored and sent but never answered: every response masks them (ProbeSchema),
// and so does the audit entry, written in the same D1 batch as the change.

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { probesTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import {
  createProbe as create,
  findProbe,
  type ProbeActor,
  deleteProbe as remove,
  updateProbe as update,
} from "../../http/probe-actions";
import { toProbe } from "../../http/probe-schema";
import { ProjectQuery } from "../../http/shared-params";
import { CreateProbeSchema, UpdateProbeSchema } from "../../probes/probe-schema";
import { decodeCursor, listRuns } from "../../probes/run-store";
import { z } from "../../zod";
import { ProbeBody, ProbeParams, ProbeRunSchema, ProbeSchema, RunsQuery } from "./schema";

const actor = (c: Context<ProjectEnv>): ProbeActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: c.var.projectId,
});

const tags = ["Probes"];
const one = { params: ProbeParams, query: ProjectQuery };

const listProbes = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's probes, oldest first",
  request: { query: ProjectQuery },
  responses: {
    200: { description: "The probes", content: json(z.object({ probes: z.array(ProbeSchema) })) },
  },
});

const createProbe = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  errors: [409],
  tags,
  summary: "Create a probe",
  description:
    "The probe runs from the next cron minute on. Its deployment is created if it does not " +
    "exist yet, within the project's deployment limit. The URL must be a public http(s) " +
    "address. 409 when the project has its most probes, or the deployment would be one " +
    "past the deployment limit.",
  request: { query: ProjectQuery, body: { content: json(CreateProbeSchema) } },
  responses: { 201: { description: "The probe", content: json(ProbeBody) } },
});

const getProbe = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a probe",
  request: one,
  responses: { 200: { description: "The probe", content: json(ProbeBody) } },
});

const updateProbe = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Change a probe",
  description:
    "Only the fields given change. `secret_headers` entries set (string) or remove (null) " +
    "one secret header each and keep the others. A `url` on another origin (scheme, host, " +
    "port) must give every stored secret header again (or null to drop it): 400 naming " +
    "those it lacks.",
  request: { ...one, body: { content: json(UpdateProbeSchema) } },
  responses: { 200: { description: "The probe as it now is", content: json(ProbeBody) } },
});

const deleteProbe = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a probe and its runs",
  request: one,
  responses: {
    200: {
      description: "The deleted probe's id",
      content: json(z.object({ deleted: z.string() })),
    },
  },
});

const listProbeRuns = apiRoute({
  method: "get",
  path: "/{id}/runs",
  access: "read",
  errors: [404],
  tags,
  summary: "A probe's runs, newest first",
  description: "Pages follow `next_cursor` (null on the last page).",
  request: { params: ProbeParams, query: RunsQuery },
  responses: {
    200: {
      description: "One page of runs",
      content: json(
        z.object({ runs: z.array(ProbeRunSchema), next_cursor: z.string().nullable() }),
      ),
    },
  },
});

export const probes = projectRouter()
  .openapi(listProbes, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(probesTable)
      .where(eq(probesTable.projectId, c.var.projectId))
      .orderBy(probesTable.createdAt);
    return c.json({ probes: rows.map(toProbe) }, 200);
  })
  .openapi(createProbe, async (c) => {
    const probe = toProbe(await create(actor(c), c.req.valid("json")));
    return c.json({ probe }, 201);
  })
  .openapi(getProbe, async (c) => {
    const row = await findProbe(c.env.DB, c.var.projectId, c.req.valid("param").id);
    return c.json({ probe: toProbe(row) }, 200);
  })
  .openapi(updateProbe, async (c) => {
    const before = await findProbe(c.env.DB, c.var.projectId, c.req.valid("param").id);
    const probe = toProbe(await update(actor(c), before, c.req.valid("json")));
    return c.json({ probe }, 200);
  })
  .openapi(deleteProbe, async (c) => {
    const before = await remove(actor(c), c.req.valid("param").id);
    return c.json({ deleted: before.id }, 200);
  })
  .openapi(listProbeRuns, async (c) => {
    const query = c.req.valid("query");
    const probe = await findProbe(c.env.DB, c.var.projectId, c.req.valid("param").id);
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === null) {
      throw new ApiError("validation_failed", "cursor: not a cursor from this API", {
        issues: [{ path: "cursor", message: "not a cursor from this API" }],
      });
    }
    const page = await listRuns(c.env.DB, probe.id, query.limit, cursor);
    const runs = page.runs.map((run) => fromRow(ProbeRunSchema, run));
    return c.json({ runs, next_cursor: page.next }, 200);
  });
