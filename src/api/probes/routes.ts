// /v1/probes: synthetic canary probes (src/probes). Admin scope to change, read scope to
// list and read runs. Secret header values and the URL's secrets (user, password, query
// values) are stored and sent but never answered: every response masks them (ProbeSchema),
// and so does the audit entry, written in the same D1 batch as the change.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { deploymentsTable, probeRunsTable, probesTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { ApiError, fieldIssuesError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { checkOutboundTarget } from "../../http/outbound-target";
import { ProjectQuery } from "../../http/shared-params";
import {
  applyUpdate,
  definitionFromCreate,
  type StoredProbe,
  secretsToRenew,
} from "../../probes/definition";
import { maskHeaders } from "../../probes/headers";
import {
  CreateProbeSchema,
  ProbeDefinitionSchema,
  UpdateProbeSchema,
} from "../../probes/probe-schema";
import { decodeCursor, listRuns } from "../../probes/run-store";
import { maskUrl } from "../../probes/url-secrets";
import { newRecordId } from "../../shared/ids";
import { minuteOf } from "../../shared/time";
import { z } from "../../zod";
import { checkProbeLimits } from "./limits";
import { ProbeBody, ProbeParams, ProbeRunSchema, ProbeSchema, RunsQuery } from "./schema";

type ProbeRow = typeof probesTable.$inferSelect;

const stored = (row: ProbeRow): StoredProbe => ({
  definition: ProbeDefinitionSchema.parse(row.definition),
  secretHeaders: row.secretHeaders,
});

/** The probe as answered and audited: the definition's fields, secret values masked. */
function toProbe(row: ProbeRow) {
  const { definition, secretHeaders } = stored(row);
  return fromRow(ProbeSchema, {
    ...row,
    ...definition,
    url: maskUrl(definition.url),
    deployment: { environment: definition.environment, slug: definition.deployment },
    secret_headers: maskHeaders(secretHeaders),
  });
}

async function findProbe(c: Context<ProjectEnv>, id: string): Promise<ProbeRow> {
  const [row] = await drizzle(c.env.DB)
    .select()
    .from(probesTable)
    .where(and(eq(probesTable.id, id), eq(probesTable.projectId, c.var.projectId)));
  if (!row) throw new ApiError("not_found", `Probe '${id}' not found`);
  return row;
}

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
    const projectId = c.var.projectId;
    const { definition, secretHeaders } = definitionFromCreate(c.req.valid("json"));
    checkOutboundTarget(c.env, definition.url);
    const now = Date.now();
    const deploymentId = `${projectId}:${definition.environment}:${definition.deployment}`;
    await checkProbeLimits(c.env, projectId, deploymentId);
    const row: ProbeRow = {
      id: newRecordId("prb"),
      projectId,
      deploymentId,
      definition,
      secretHeaders,
      enabled: definition.enabled,
      // Due at the next tick.
      nextRunAt: minuteOf(now),
      createdAt: now,
      updatedAt: now,
    };
    const probe = toProbe(row);
    const db = drizzle(c.env.DB);
    await db.batch([
      // The deployment exists from now on (its incidents need it), even before real traffic.
      db
        .insert(deploymentsTable)
        .values({
          id: deploymentId,
          projectId,
          environment: definition.environment,
          slug: definition.deployment,
          firstSeen: now,
          lastSeen: now,
        })
        .onConflictDoNothing(),
      db.insert(probesTable).values(row),
      auditEntry(c, projectId, "probe.create", row.id, null, probe),
    ]);
    return c.json({ probe }, 201);
  })
  .openapi(getProbe, async (c) => {
    return c.json({ probe: toProbe(await findProbe(c, c.req.valid("param").id)) }, 200);
  })
  .openapi(updateProbe, async (c) => {
    const before = await findProbe(c, c.req.valid("param").id);
    const patch = c.req.valid("json");
    const renew = secretsToRenew(stored(before), patch);
    if (renew.length > 0) {
      throw fieldIssuesError(
        renew.map((name) => ({
          path: `secret_headers.${name}`,
          message:
            "the URL moves to another origin: give this secret header again (or null to drop it)",
        })),
      );
    }
    const next = applyUpdate(stored(before), patch);
    checkOutboundTarget(c.env, next.definition.url);
    const after: ProbeRow = {
      ...before,
      definition: next.definition,
      secretHeaders: next.secretHeaders,
      enabled: next.definition.enabled,
      updatedAt: Date.now(),
    };
    const probe = toProbe(after);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.update(probesTable).set(after).where(eq(probesTable.id, before.id)),
      auditEntry(c, c.var.projectId, "probe.update", before.id, toProbe(before), probe),
    ]);
    return c.json({ probe }, 200);
  })
  .openapi(deleteProbe, async (c) => {
    const before = await findProbe(c, c.req.valid("param").id);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(probeRunsTable).where(eq(probeRunsTable.probeId, before.id)),
      db.delete(probesTable).where(eq(probesTable.id, before.id)),
      auditEntry(c, c.var.projectId, "probe.delete", before.id, toProbe(before), null),
    ]);
    return c.json({ deleted: before.id }, 200);
  })
  .openapi(listProbeRuns, async (c) => {
    const query = c.req.valid("query");
    const probe = await findProbe(c, c.req.valid("param").id);
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
