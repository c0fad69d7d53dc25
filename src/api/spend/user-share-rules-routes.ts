// /v1/user-share-rules: opt-in alerts "one user is more than `percent` % of a deployment's
// spend over the last hour (with at least `min_usd`)", for the whole project, one
// environment or one deployment. Evaluated each minute (src/alerts/budgets/user-share-incidents.ts).
import { and, count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { userShareRuleId } from "../../alerts/budgets/user-share-incidents";
import { incidentsTable, userShareRulesTable } from "../../db/schema";
import { auditEntry } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { IdSchema, ProjectQuery } from "../../http/shared-params";
import { SLUG_PATTERN } from "../../ingest/field-bounds";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";

/** Each rule reads one sketch per deployment in its scope every minute. */
export const MAX_USER_SHARE_RULES = 20;

const Slug = z.string().regex(SLUG_PATTERN, "must be a slug (lowercase letters, digits, - _ .)");

const CreateUserShareRuleSchema = z
  .strictObject({
    percent: z.number().gt(0, "must be more than 0").lt(100, "must be below 100").meta({
      description: "Fires when one user's share of the deployment's spend is above this",
    }),
    min_usd: z.number().min(0, "must be at least 0").max(1_000_000).default(1).meta({
      description: "…and that user spent at least this much (USD) in the window",
    }),
    environment: Slug.optional().meta({ description: "Only this environment's deployments" }),
    slug: Slug.optional().meta({ description: "Only this deployment (needs environment)" }),
    severity: z.enum(["warning", "critical"]).default("warning"),
  })
  .refine((r) => r.slug === undefined || r.environment !== undefined, {
    message: "slug needs environment",
    path: ["slug"],
  });

const UserShareRuleSchema = z
  .object({
    id: z.string(),
    percent: z.number(),
    min_usd: z.number(),
    environment: z.string().nullable(),
    slug: z.string().nullable(),
    severity: z.enum(["warning", "critical"]),
    created_at: z.number().int(),
  })
  .meta({ id: "UserShareRule" });

type Row = typeof userShareRulesTable.$inferSelect;
const toRule = (r: Row) => ({
  id: r.id,
  percent: r.percent,
  min_usd: r.minUsd,
  environment: r.environment,
  slug: r.slug,
  severity: r.severity,
  created_at: r.createdAt,
});

const tags = ["Spend"];
const Params = z.object({ id: IdSchema.meta({ description: "Rule id" }) });

const listRules = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's user-share rules",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The rules",
      content: json(z.object({ rules: z.array(UserShareRuleSchema) })),
    },
  },
});

const createRule = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  errors: [409],
  tags,
  summary: "Alert when one user is more than a share of a deployment's last-hour spend",
  description:
    "Decided on the top-spenders sketch's lower bound: the user's estimate (never above the " +
    "truth) must itself be above the share, so the sketch's error never fires an alert.",
  request: { query: ProjectQuery, body: { content: json(CreateUserShareRuleSchema) } },
  responses: {
    201: { description: "The rule", content: json(z.object({ rule: UserShareRuleSchema })) },
  },
});

const deleteRule = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a user-share rule and its incidents",
  request: { params: Params, query: ProjectQuery },
  responses: {
    200: { description: "The deleted rule's id", content: json(z.object({ deleted: z.string() })) },
  },
});

export const userShareRules = projectRouter()
  .openapi(listRules, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(userShareRulesTable)
      .where(eq(userShareRulesTable.projectId, c.var.projectId))
      .orderBy(userShareRulesTable.createdAt);
    return c.json({ rules: rows.map(toRule) }, 200);
  })
  .openapi(createRule, async (c) => {
    const projectId = c.var.projectId;
    const body = c.req.valid("json");
    const db = drizzle(c.env.DB);
    const [held] = await db
      .select({ n: count() })
      .from(userShareRulesTable)
      .where(eq(userShareRulesTable.projectId, projectId));
    if ((held?.n ?? 0) >= MAX_USER_SHARE_RULES) {
      throw new ApiError(
        "conflict",
        `A project holds at most ${MAX_USER_SHARE_RULES} user-share rules: delete one first`,
      );
    }
    const row: Row = {
      id: newRecordId("usr"),
      projectId,
      environment: body.environment ?? null,
      slug: body.slug ?? null,
      percent: body.percent,
      minUsd: body.min_usd,
      severity: body.severity,
      createdAt: Date.now(),
    };
    await db.batch([
      db.insert(userShareRulesTable).values(row),
      auditEntry(c, projectId, "user_share_rule.create", row.id, null, toRule(row)),
    ]);
    return c.json({ rule: toRule(row) }, 201);
  })
  .openapi(deleteRule, async (c) => {
    const { id } = c.req.valid("param");
    const projectId = c.var.projectId;
    const db = drizzle(c.env.DB);
    const [row] = await db
      .select()
      .from(userShareRulesTable)
      .where(and(eq(userShareRulesTable.id, id), eq(userShareRulesTable.projectId, projectId)));
    if (!row) throw new ApiError("not_found", `User-share rule '${id}' not found`);
    await db.batch([
      db.delete(userShareRulesTable).where(eq(userShareRulesTable.id, id)),
      db
        .delete(incidentsTable)
        .where(
          and(
            eq(incidentsTable.projectId, projectId),
            eq(incidentsTable.ruleId, userShareRuleId(id)),
          ),
        ),
      auditEntry(c, projectId, "user_share_rule.delete", id, toRule(row), null),
    ]);
    return c.json({ deleted: id }, 200);
  });
