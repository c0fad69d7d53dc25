// /v1/probes: synthetic canary probes (src/probes). Admin scope to change, read scope to
// list and read runs. Secret header values are stored and sent but never answered:
// every view masks them, and so does the audit log.

import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { deploymentsTable, probesTable } from "../db/schema";
import { checkOutboundUrl } from "../net/outbound-url";
import { outboundOptions } from "../net/public-origin";
import { applyUpdate, definitionFromCreate, type StoredProbe } from "../probes/definition";
import { maskHeaders } from "../probes/headers";
import {
  CreateProbeSchema,
  ProbeDefinitionSchema,
  UpdateProbeSchema,
} from "../probes/probe-schema";
import { decodeCursor, listRuns, type ProbeRunRow } from "../probes/run-store";
import { newRecordId } from "../shared/ids";
import { minuteOf } from "../shared/time";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { projectOf, requireAuth } from "./auth";
import { ApiError } from "./errors";
import { ProjectQuery } from "./shared-params";
import { validate } from "./validate";

type ProbeRow = typeof probesTable.$inferSelect;

const stored = (row: ProbeRow): StoredProbe => ({
  definition: ProbeDefinitionSchema.parse(row.definition),
  secretHeaders: row.secretHeaders,
});

export function probeView(row: ProbeRow) {
  const { definition, secretHeaders } = stored(row);
  const { deployment, environment, ...rest } = definition;
  return {
    id: row.id,
    ...rest,
    deployment: { environment, slug: deployment },
    secret_headers: maskHeaders(secretHeaders),
    next_run_at: row.nextRunAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export const runView = (r: ProbeRunRow) => ({
  id: r.id,
  started_at: r.startedAt,
  outcome: r.outcome,
  http_status: r.httpStatus,
  latency_ms: r.latencyMs,
  ttft_ms: r.ttftMs,
  score: r.score,
  error: r.error,
  assertions: r.assertions,
  answer_excerpt: r.answerExcerpt,
});

function checkTarget(env: Env, url: string): void {
  const check = checkOutboundUrl(url, outboundOptions(env));
  if (!check.ok) {
    throw new ApiError("validation_failed", `url: ${check.reason}`, {
      issues: [{ path: "url", message: check.reason }],
    });
  }
}

async function findProbe(db: D1Database, projectId: string, id: string): Promise<ProbeRow> {
  const [row] = await drizzle(db)
    .select()
    .from(probesTable)
    .where(and(eq(probesTable.id, id), eq(probesTable.projectId, projectId)));
  if (!row) throw new ApiError("not_found", `Probe '${id}' not found`);
  return row;
}

const RunsQuery = z.strictObject({
  project: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const probes = new Hono<AppEnv>()
  .get("/", requireAuth({ scope: "read" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(probesTable)
      .where(eq(probesTable.projectId, projectId))
      .orderBy(probesTable.createdAt);
    return c.json({ probes: rows.map(probeView) });
  })
  .post(
    "/",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    validate("json", CreateProbeSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const { definition, secretHeaders } = definitionFromCreate(c.req.valid("json"));
      checkTarget(c.env, definition.url);
      const now = Date.now();
      const deploymentId = `${projectId}:${definition.environment}:${definition.deployment}`;
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
      const db = drizzle(c.env.DB);
      // The deployment exists from now on (its incidents need it), even before real traffic.
      await db
        .insert(deploymentsTable)
        .values({
          id: deploymentId,
          projectId,
          environment: definition.environment,
          slug: definition.deployment,
          firstSeen: now,
          lastSeen: now,
        })
        .onConflictDoNothing();
      await db.insert(probesTable).values(row);
      const view = probeView(row);
      await audit(c, projectId, "probe.create", row.id, null, view);
      return c.json({ probe: view }, 201);
    },
  )
  .get("/:id", requireAuth({ scope: "read" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    return c.json({ probe: probeView(await findProbe(c.env.DB, projectId, c.req.param("id"))) });
  })
  .patch(
    "/:id",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    validate("json", UpdateProbeSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const before = await findProbe(c.env.DB, projectId, c.req.param("id"));
      const next = applyUpdate(stored(before), c.req.valid("json"));
      checkTarget(c.env, next.definition.url);
      const after: ProbeRow = {
        ...before,
        definition: next.definition,
        secretHeaders: next.secretHeaders,
        enabled: next.definition.enabled,
        updatedAt: Date.now(),
      };
      await drizzle(c.env.DB).update(probesTable).set(after).where(eq(probesTable.id, before.id));
      const view = probeView(after);
      await audit(c, projectId, "probe.update", before.id, probeView(before), view);
      return c.json({ probe: view });
    },
  )
  .delete("/:id", requireAuth({ scope: "admin" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    const before = await findProbe(c.env.DB, projectId, c.req.param("id"));
    await c.env.DB.batch([
      c.env.DB.prepare("DELETE FROM probe_runs WHERE probe_id = ?").bind(before.id),
      c.env.DB.prepare("DELETE FROM probes WHERE id = ?").bind(before.id),
    ]);
    await audit(c, projectId, "probe.delete", before.id, probeView(before), null);
    return c.json({ deleted: before.id });
  })
  .get("/:id/runs", requireAuth({ scope: "read" }), validate("query", RunsQuery), async (c) => {
    const query = c.req.valid("query");
    const projectId = projectOf(c, query.project);
    const probe = await findProbe(c.env.DB, projectId, c.req.param("id"));
    const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (query.cursor !== undefined && cursor === null) {
      throw new ApiError("validation_failed", "cursor: not a cursor from this API", {
        issues: [{ path: "cursor", message: "not a cursor from this API" }],
      });
    }
    const page = await listRuns(c.env.DB, probe.id, query.limit, cursor);
    return c.json({ runs: page.runs.map(runView), next_cursor: page.next });
  });
