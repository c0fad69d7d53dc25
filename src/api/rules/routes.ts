// /v1/rules: the project's effective alert rules (defaults, overrides of defaults, custom rules).
// A default is changed by PATCHing its id ("default:error_rate"), which stores an override row.
// Each change and its audit entry are one D1 batch.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { DEFAULT_RULES } from "../../alerts/rules/default-rules";
import { type EffectiveRule, effectiveRules } from "../../alerts/rules/effective-rules";
import {
  CreateRuleSchema,
  mergeRuleUpdate,
  type Rule,
  UpdateRuleSchema,
} from "../../alerts/rules/rule-schema";
import { channelsTable, rulesTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { ApiError, fieldIssuesError, validationError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import { EffectiveRuleSchema, RuleBody, RuleParams } from "./schema";

const DEFAULTS = new Map(DEFAULT_RULES.map((r) => [r.id, r]));

const toRule = (e: EffectiveRule) => fromRow(EffectiveRuleSchema, { ...e, ...e.rule });

async function findRule(c: Context<ProjectEnv>, id: string): Promise<EffectiveRule> {
  const found = (await effectiveRules(c.env.DB, c.var.projectId)).find((e) => e.rule.id === id);
  if (!found) throw new ApiError("not_found", `Rule '${id}' not found`);
  return found;
}

/** Every channel a rule names must belong to the project: 400 naming `channels.N`. */
async function checkChannels(db: D1Database, projectId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const rows = await drizzle(db)
    .select({ id: channelsTable.id })
    .from(channelsTable)
    .where(eq(channelsTable.projectId, projectId));
  const known = new Set(rows.map((r) => r.id));
  const issues = ids.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `channels.${i}`, message: `no channel '${id}' in this project` }],
  );
  if (issues.length > 0) throw fieldIssuesError(issues, "rule");
}

/** The upsert storing `rule` (a custom rule, or a default's override), for a D1 batch. */
function saveRule(db: D1Database, projectId: string, rule: Rule, now: number) {
  const definition = { ...rule } as Record<string, unknown>;
  return drizzle(db)
    .insert(rulesTable)
    .values({ id: rule.id, projectId, definition, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [rulesTable.projectId, rulesTable.id],
      set: { definition, updatedAt: now },
    });
}

const tags = ["Rules"];

const listRules = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the rules in force: defaults (or their overrides), then custom rules by age",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The rules",
      content: json(z.object({ rules: z.array(EffectiveRuleSchema) })),
    },
  },
});

const getRule = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a rule in force",
  request: { params: RuleParams, query: ProjectQuery },
  responses: { 200: { description: "The rule", content: json(RuleBody) } },
});

const createRule = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  tags,
  summary: "Create a custom rule",
  description:
    "The server assigns the id; omitted fields take their defaults. Every channel named " +
    "must belong to the project.",
  request: { query: ProjectQuery, body: { content: json(CreateRuleSchema) } },
  responses: { 201: { description: "The rule", content: json(RuleBody) } },
});

const updateRule = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Change a rule (a default's id stores an override)",
  description:
    "Any subset of the fields; null clears an optional parameter. The merged rule is checked " +
    "as a whole (e.g. a new test against the metric).",
  request: { params: RuleParams, query: ProjectQuery, body: { content: json(UpdateRuleSchema) } },
  responses: { 200: { description: "The rule as it now is", content: json(RuleBody) } },
});

const deleteRule = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Delete a custom rule, or remove a default's override",
  description:
    'Removing an override restores the default, which the answer shows. A default without an override cannot be deleted (409): PATCH `{"enabled": false}` to disable it.',
  request: { params: RuleParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The deleted rule's id, and the default now in force if it was an override",
      content: json(z.object({ deleted: z.string(), rule: EffectiveRuleSchema.optional() })),
    },
  },
});

export const rules = projectRouter()
  .openapi(listRules, async (c) => {
    return c.json({ rules: (await effectiveRules(c.env.DB, c.var.projectId)).map(toRule) }, 200);
  })
  .openapi(getRule, async (c) => {
    return c.json({ rule: toRule(await findRule(c, c.req.valid("param").id)) }, 200);
  })
  .openapi(createRule, async (c) => {
    const projectId = c.var.projectId;
    const rule: Rule = { id: newRecordId("rule"), ...c.req.valid("json") };
    await checkChannels(c.env.DB, projectId, rule.channels);
    const now = Date.now();
    await drizzle(c.env.DB).batch([
      saveRule(c.env.DB, projectId, rule, now),
      auditEntry(c, projectId, "rule.create", rule.id, null, rule),
    ]);
    return c.json(
      { rule: toRule({ rule, source: "custom", createdAt: now, updatedAt: now }) },
      201,
    );
  })
  .openapi(updateRule, async (c) => {
    const projectId = c.var.projectId;
    const before = await findRule(c, c.req.valid("param").id);
    const patch = c.req.valid("json");
    const merged = mergeRuleUpdate(before.rule, patch);
    if (!merged.success) throw validationError(merged.error, "rule");
    // Only newly named channels are checked: a rule keeps working if one is deleted later.
    if (patch.channels) await checkChannels(c.env.DB, projectId, patch.channels);
    const now = Date.now();
    await drizzle(c.env.DB).batch([
      saveRule(c.env.DB, projectId, merged.data, now),
      auditEntry(c, projectId, "rule.update", before.rule.id, before.rule, merged.data),
    ]);
    const source = before.source === "custom" ? "custom" : "override";
    const createdAt = before.createdAt ?? now;
    return c.json({ rule: toRule({ rule: merged.data, source, createdAt, updatedAt: now }) }, 200);
  })
  .openapi(deleteRule, async (c) => {
    const projectId = c.var.projectId;
    const before = await findRule(c, c.req.valid("param").id);
    const id = before.rule.id;
    const fallback = DEFAULTS.get(id);
    if (before.source === "default") {
      throw new ApiError(
        "conflict",
        `Rule '${id}' is a default and has no override to remove; PATCH {"enabled": false} to disable it`,
      );
    }
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(rulesTable).where(and(eq(rulesTable.projectId, projectId), eq(rulesTable.id, id))),
      auditEntry(c, projectId, "rule.delete", id, before.rule, fallback ?? null),
    ]);
    // Removing an override restores the default: answer with the rule now in force.
    if (!fallback) return c.json({ deleted: id }, 200);
    const restored = toRule({
      rule: fallback,
      source: "default",
      createdAt: null,
      updatedAt: null,
    });
    return c.json({ deleted: id, rule: restored }, 200);
  });
