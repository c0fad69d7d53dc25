// /v1/rules: the project's effective alert rules (defaults, overrides of defaults, custom rules).
// A default is changed by PATCHing its id ("default:error_rate"), which stores an override row.
// The operations (one D1 batch with their audit entry each) are src/alerts/rules/rule-actions.ts,
// shared with the dashboard's rule settings.
import type { Context } from "hono";
import { type EffectiveRule, effectiveRules } from "../../alerts/rules/effective-rules";
import {
  channelProblems,
  createRule as createRuleAction,
  deleteRule as deleteRuleAction,
  findRule,
  type RuleActor,
  replaceRule,
} from "../../alerts/rules/rule-actions";
import {
  CreateRuleSchema,
  mergeRuleUpdate,
  UpdateRuleSchema,
} from "../../alerts/rules/rule-schema";
import type { ProjectEnv } from "../../http/app-types";
import { whoOf } from "../../http/audit";
import { fieldIssuesError, validationError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { EffectiveRuleSchema, RuleBody, RuleParams } from "./schema";

const toRule = (e: EffectiveRule) => fromRow(EffectiveRuleSchema, { ...e, ...e.rule });

const actor = (c: Context<ProjectEnv>): RuleActor => ({
  db: c.env.DB,
  who: whoOf(c),
  projectId: c.var.projectId,
});

/** Every channel a rule names must belong to the project: 400 naming `channels.N`. */
async function checkChannels(c: Context<ProjectEnv>, ids: readonly string[]) {
  const issues = await channelProblems(c.env.DB, c.var.projectId, ids);
  if (issues.length > 0) throw fieldIssuesError(issues, "rule");
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
  errors: [404, 409],
  tags,
  summary: "Change a rule (a default's id stores an override)",
  description:
    "Any subset of the fields; null clears an optional parameter. The merged rule is checked " +
    "as a whole (e.g. a new test against the metric). A rule changed by another request " +
    "between this one's read and write is refused (409), never silently overwritten.",
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
    const found = await findRule(c.env.DB, c.var.projectId, c.req.valid("param").id);
    return c.json({ rule: toRule(found) }, 200);
  })
  .openapi(createRule, async (c) => {
    const input = c.req.valid("json");
    await checkChannels(c, input.channels);
    return c.json({ rule: toRule(await createRuleAction(actor(c), input)) }, 201);
  })
  .openapi(updateRule, async (c) => {
    const before = await findRule(c.env.DB, c.var.projectId, c.req.valid("param").id);
    const patch = c.req.valid("json");
    const merged = mergeRuleUpdate(before.rule, patch);
    if (!merged.success) throw validationError(merged.error, "rule");
    // Only newly named channels are checked: a rule keeps working if one is deleted later.
    if (patch.channels) await checkChannels(c, patch.channels);
    return c.json({ rule: toRule(await replaceRule(actor(c), before, merged.data)) }, 200);
  })
  .openapi(deleteRule, async (c) => {
    const { deleted, restored } = await deleteRuleAction(actor(c), c.req.valid("param").id);
    // Removing an override restores the default: answer with the rule now in force.
    if (!restored) return c.json({ deleted }, 200);
    const rule = toRule({ rule: restored, source: "default", createdAt: null, updatedAt: null });
    return c.json({ deleted, rule }, 200);
  });
