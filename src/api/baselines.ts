// /v1/deployments/:env/:slug/baselines: pinned baselines (captured from a time range or a
// release) and /checks, the drift-score time series alert links point at.
import { and, desc, eq, gte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { loadRules } from "../alerts/rules/effective-rules";
import { ruleMatches } from "../alerts/rules/rule-match";
import { RuleIdSchema } from "../alerts/rules/rule-schema";
import { baselinesTable, checkResultsTable } from "../db/schema";
import { DAY_MS } from "../shared/time";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { requireAuth } from "./auth";
import {
  activateOnly,
  baselineView,
  CaptureSchema,
  captureBaseline,
  findBaseline,
} from "./baseline-data";
import { ApiError } from "./errors";
import { DeploymentParams, findDeployment, ProjectQuery } from "./shared-params";
import { validate } from "./validate";

const BaselineParams = DeploymentParams.extend({ baselineId: z.string().min(1).max(64) });
const ChecksQuery = z.strictObject({
  rule: RuleIdSchema.optional(),
  /** Epoch ms; default 24 hours ago. */
  since: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1440).default(1440),
  project: z.string().optional(),
});

/**
 * An unknown `rule` is a 404 naming the ids that do apply to the deployment, rather than an
 * empty series that reads as "nothing happened" (`output_chars` for `default:output_chars`).
 */
async function requireRuleOf(
  db: D1Database,
  dep: { projectId: string; environment: string; slug: string },
  ruleId: string,
): Promise<void> {
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

const read = requireAuth({ scope: "read" });
const admin = requireAuth({ scope: "admin" });

export const baselines = new Hono<AppEnv>()
  .get(
    "/:env/:slug/baselines",
    read,
    validate("param", DeploymentParams),
    validate("query", ProjectQuery),
    async (c) => {
      const { env, slug } = c.req.valid("param");
      const dep = await findDeployment(c, { env, slug }, c.req.valid("query").project);
      const rows = await drizzle(c.env.DB)
        .select()
        .from(baselinesTable)
        .where(eq(baselinesTable.deploymentId, dep.id))
        .orderBy(desc(baselinesTable.createdAt), desc(baselinesTable.id));
      return c.json({ baselines: rows.map(baselineView) });
    },
  )
  .post(
    "/:env/:slug/baselines",
    admin,
    validate("param", DeploymentParams),
    validate("query", ProjectQuery),
    validate("json", CaptureSchema),
    async (c) => {
      const { env, slug } = c.req.valid("param");
      const dep = await findDeployment(c, { env, slug }, c.req.valid("query").project);
      const body = c.req.valid("json");
      const row = await captureBaseline(c.env, dep.id, body);
      await drizzle(c.env.DB).insert(baselinesTable).values(row);
      if (body.activate) await activateOnly(c.env.DB, dep.id, row.id);
      const saved = { ...row, active: body.activate };
      await audit(c, dep.projectId, "baseline.create", row.id, null, baselineView(saved));
      return c.json({ baseline: baselineView(saved) }, 201);
    },
  )
  .post(
    "/:env/:slug/baselines/:baselineId/activate",
    admin,
    validate("param", BaselineParams),
    validate("query", ProjectQuery),
    async (c) => {
      const { env, slug, baselineId } = c.req.valid("param");
      const dep = await findDeployment(c, { env, slug }, c.req.valid("query").project);
      const before = await findBaseline(c.env.DB, dep.id, baselineId);
      await activateOnly(c.env.DB, dep.id, before.id);
      const after = { ...before, active: true };
      await audit(
        c,
        dep.projectId,
        "baseline.activate",
        before.id,
        baselineView(before),
        baselineView(after),
      );
      return c.json({ baseline: baselineView(after) });
    },
  )
  .delete(
    "/:env/:slug/baselines/:baselineId",
    admin,
    validate("param", BaselineParams),
    validate("query", ProjectQuery),
    async (c) => {
      const { env, slug, baselineId } = c.req.valid("param");
      const dep = await findDeployment(c, { env, slug }, c.req.valid("query").project);
      const before = await findBaseline(c.env.DB, dep.id, baselineId);
      await drizzle(c.env.DB).delete(baselinesTable).where(eq(baselinesTable.id, before.id));
      await audit(c, dep.projectId, "baseline.delete", before.id, baselineView(before), null);
      // Without an active pinned baseline, evaluation falls back to the rolling one.
      return c.json({ deleted: before.id, was_active: before.active });
    },
  )
  .get(
    "/:env/:slug/checks",
    read,
    validate("param", DeploymentParams),
    validate("query", ChecksQuery),
    async (c) => {
      const { env, slug } = c.req.valid("param");
      const q = c.req.valid("query");
      const dep = await findDeployment(c, { env, slug }, q.project);
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
      return c.json({
        deployment: { environment: dep.environment, slug: dep.slug },
        since,
        checks: rows.map((r) => ({
          minute: r.minute,
          rule_id: r.ruleId,
          outcome: r.outcome,
          value: r.value,
          baseline_value: r.baselineValue,
          statistic: r.statistic,
          threshold: r.threshold,
          message: r.message,
        })),
      });
    },
  );
