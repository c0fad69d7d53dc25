// /v1/deployments/:env/:slug/baselines: pinned baselines (captured from a time range or a
// release) and /checks, the drift-score time series alert links point at.
import { and, desc, eq, gte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import {
  activateBaseline as activateAction,
  type BaselineActor,
  createBaseline as createAction,
  deleteBaseline as deleteAction,
  EmptyRangeError,
} from "../../alerts/baselines/baseline-actions";
import { currentReadiness } from "../../alerts/evaluation/baseline-source";
import { loadRules } from "../../alerts/rules/effective-rules";
import { ruleMatches } from "../../alerts/rules/rule-match";
import { baselinesTable, checkResultsTable } from "../../db/schema";
import type { DeploymentEnv, DeploymentRow } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { deploymentRouter } from "../../http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../http/shared-params";
import { DAY_MS } from "../../shared/time";
import { z } from "../../zod";
import {
  BaselineParams,
  BaselineReadinessSchema,
  BaselineSchema,
  CaptureSchema,
  CheckSchema,
  ChecksQuery,
} from "./schema";

/**
 * An unknown `rule` is a 404 naming the ids that do apply to the deployment, rather than an
 * empty series that reads as "nothing happened" (`output_chars` for `default:output_chars`).
 */
async function requireRuleOf(db: D1Database, dep: DeploymentRow, ruleId: string): Promise<void> {
  const ids = (await loadRules(db, dep.projectId))
    .filter((r) => ruleMatches(r, dep))
    .map((r) => r.id);
  if (ids.includes(ruleId)) return;
  throw new ApiError(
    "not_found",
    `No rule '${ruleId}' applies to ${dep.environment}/${dep.slug}; rule ids: ${ids.join(", ")}`,
    { rule_ids: ids },
  );
}

const toBaseline = (row: typeof baselinesTable.$inferSelect) => fromRow(BaselineSchema, row);

const actor = (c: Context<DeploymentEnv>): BaselineActor => ({
  env: c.env,
  who: whoOf(c),
  projectId: c.var.deployment.projectId,
  deploymentId: c.var.deployment.id,
});

const tags = ["Baselines"];
const BaselineBody = z.object({ baseline: BaselineSchema });

const listBaselines = apiRoute({
  method: "get",
  path: "/baselines",
  access: "read",
  errors: [404],
  tags,
  summary: "List a deployment's pinned baselines, newest first",
  request: { params: DeploymentParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The baselines",
      content: json(z.object({ baselines: z.array(BaselineSchema) })),
    },
  },
});

const createBaseline = apiRoute({
  method: "post",
  path: "/baselines",
  access: "admin",
  errors: [404],
  tags,
  summary: "Pin a baseline from a time range or a release",
  description:
    "Merges the deployment's buckets over `{from, to}` or over the span of the releases " +
    "matching `release`. 400 when the range holds no events; 404 for an unknown release.",
  request: {
    params: DeploymentParams,
    query: ProjectQuery,
    body: { content: json(CaptureSchema) },
  },
  responses: { 201: { description: "The baseline", content: json(BaselineBody) } },
});

const activateBaseline = apiRoute({
  method: "post",
  path: "/baselines/{baselineId}/activate",
  access: "admin",
  errors: [404],
  tags,
  summary: "Make a baseline the deployment's only active one",
  request: { params: BaselineParams, query: ProjectQuery },
  responses: { 200: { description: "The baseline, active", content: json(BaselineBody) } },
});

const deleteBaseline = apiRoute({
  method: "delete",
  path: "/baselines/{baselineId}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a baseline (without an active one, drift uses the rolling baseline)",
  request: { params: BaselineParams, query: ProjectQuery },
  responses: {
    200: {
      description: "Deleted",
      content: json(z.object({ deleted: z.string(), was_active: z.boolean() })),
    },
  },
});

const listChecks = apiRoute({
  method: "get",
  path: "/checks",
  access: "read",
  errors: [404],
  tags,
  summary: "The drift-score series: each rule's check per minute, newest first",
  request: { params: DeploymentParams, query: ChecksQuery },
  responses: {
    200: {
      description: "The checks since `since`",
      content: json(
        z.object({
          deployment: z.object({ environment: z.string(), slug: z.string() }),
          since: z.number().int(),
          checks: z.array(CheckSchema),
          baseline: BaselineReadinessSchema,
        }),
      ),
    },
  },
});

/**
 * Mounted at /v1/deployments/:env/:slug. The changes (each audited in its own D1 batch) are
 * src/alerts/baselines/baseline-actions.ts, shared with the dashboard's baseline page.
 */
export const baselines = deploymentRouter()
  .openapi(listBaselines, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(baselinesTable)
      .where(eq(baselinesTable.deploymentId, c.var.deployment.id))
      .orderBy(desc(baselinesTable.createdAt), desc(baselinesTable.id));
    return c.json({ baselines: rows.map(toBaseline) }, 200);
  })
  .openapi(createBaseline, async (c) => {
    const body = c.req.valid("json");
    try {
      const row = await createAction(actor(c), body);
      return c.json({ baseline: toBaseline(row) }, 201);
    } catch (thrown) {
      if (!(thrown instanceof EmptyRangeError)) throw thrown;
      throw new ApiError("bad_request", thrown.message, { from: thrown.from, to: thrown.to });
    }
  })
  .openapi(activateBaseline, async (c) => {
    const after = await activateAction(actor(c), c.req.valid("param").baselineId);
    return c.json({ baseline: toBaseline(after) }, 200);
  })
  .openapi(deleteBaseline, async (c) => {
    const before = await deleteAction(actor(c), c.req.valid("param").baselineId);
    // Without an active pinned baseline, evaluation falls back to the rolling one.
    return c.json({ deleted: before.id, was_active: before.active }, 200);
  })
  .openapi(listChecks, async (c) => {
    const dep = c.var.deployment;
    const q = c.req.valid("query");
    if (q.rule !== undefined) await requireRuleOf(c.env.DB, dep, q.rule);
    const since = q.since ?? Date.now() - DAY_MS;
    const rows = await drizzle(c.env.DB)
      .select()
      .from(checkResultsTable)
      .where(
        and(
          eq(checkResultsTable.deploymentId, dep.id),
          gte(checkResultsTable.minute, since),
          q.rule === undefined ? undefined : eq(checkResultsTable.ruleId, q.rule),
        ),
      )
      .orderBy(desc(checkResultsTable.minute), checkResultsTable.ruleId)
      .limit(q.limit);
    return c.json(
      {
        deployment: { environment: dep.environment, slug: dep.slug },
        since,
        checks: rows.map((r) => fromRow(CheckSchema, r)),
        baseline: await currentReadiness(c.env, dep, Date.now()),
      },
      200,
    );
  });
