// /v1/rules: the project's effective alert rules (defaults, overrides of defaults, custom rules).
// A default is changed by PATCHing its id ("default:error_rate"), which stores an override row.

import { and, asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { DEFAULT_RULES } from "../alerts/rules/default-rules";
import {
  CreateRuleSchema,
  mergeRuleUpdate,
  type Rule,
  RuleIdSchema,
  RuleSchema,
  UpdateRuleSchema,
} from "../alerts/rules/rule-schema";
import { channelsTable, rulesTable } from "../db/schema";
import { newRecordId } from "../shared/ids";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { projectOf, requireAuth } from "./auth";
import { ApiError, validationError } from "./errors";
import { ProjectQuery } from "./shared-params";
import { validate } from "./validate";

type RuleSource = "default" | "override" | "custom";
interface EffectiveRule {
  rule: Rule;
  source: RuleSource;
  createdAt: number | null;
  updatedAt: number | null;
}

const IdParam = z.object({ id: RuleIdSchema });
const DEFAULTS = new Map(DEFAULT_RULES.map((r) => [r.id, r]));

const ruleView = (e: EffectiveRule) => ({
  ...e.rule,
  source: e.source,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

/** Defaults first (in their fixed order, overrides in place), then custom rules by age. */
async function effectiveRules(db: D1Database, projectId: string): Promise<EffectiveRule[]> {
  const rows = await drizzle(db)
    .select()
    .from(rulesTable)
    .where(eq(rulesTable.projectId, projectId))
    .orderBy(asc(rulesTable.createdAt));
  const byId = new Map<string, EffectiveRule>(
    DEFAULT_RULES.map((rule) => [
      rule.id,
      { rule, source: "default", createdAt: null, updatedAt: null },
    ]),
  );
  for (const row of rows) {
    // Same policy as the evaluator (loadRules): an invalid stored row is skipped.
    const parsed = RuleSchema.safeParse({ ...row.definition, id: row.id });
    if (!parsed.success) continue;
    byId.set(row.id, {
      rule: parsed.data,
      source: DEFAULTS.has(row.id) ? "override" : "custom",
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
  return [...byId.values()];
}

async function findRule(db: D1Database, projectId: string, id: string): Promise<EffectiveRule> {
  const found = (await effectiveRules(db, projectId)).find((e) => e.rule.id === id);
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
  const [first] = issues;
  if (first) {
    throw new ApiError("validation_failed", `Invalid rule: ${first.path}: ${first.message}`, {
      issues,
    });
  }
}

async function saveRule(db: D1Database, projectId: string, rule: Rule, now: number) {
  const definition = { ...rule } as Record<string, unknown>;
  await drizzle(db)
    .insert(rulesTable)
    .values({ id: rule.id, projectId, definition, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [rulesTable.projectId, rulesTable.id],
      set: { definition, updatedAt: now },
    });
}

export const rules = new Hono<AppEnv>()
  .get("/", requireAuth({ scope: "read" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    return c.json({ rules: (await effectiveRules(c.env.DB, projectId)).map(ruleView) });
  })
  .get(
    "/:id",
    requireAuth({ scope: "read" }),
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      return c.json({
        rule: ruleView(await findRule(c.env.DB, projectId, c.req.valid("param").id)),
      });
    },
  )
  .post(
    "/",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    validate("json", CreateRuleSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const rule: Rule = { id: newRecordId("rule"), ...c.req.valid("json") };
      await checkChannels(c.env.DB, projectId, rule.channels);
      const now = Date.now();
      await saveRule(c.env.DB, projectId, rule, now);
      await audit(c, projectId, "rule.create", rule.id, null, rule);
      return c.json(
        { rule: ruleView({ rule, source: "custom", createdAt: now, updatedAt: now }) },
        201,
      );
    },
  )
  .patch(
    "/:id",
    requireAuth({ scope: "admin" }),
    validate("param", IdParam),
    validate("query", ProjectQuery),
    validate("json", UpdateRuleSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const before = await findRule(c.env.DB, projectId, c.req.valid("param").id);
      const patch = c.req.valid("json");
      const merged = mergeRuleUpdate(before.rule, patch);
      if (!merged.success) throw validationError(merged.error, "rule");
      // Only newly named channels are checked: a rule keeps working if one is deleted later.
      if (patch.channels) await checkChannels(c.env.DB, projectId, patch.channels);
      const now = Date.now();
      await saveRule(c.env.DB, projectId, merged.data, now);
      await audit(c, projectId, "rule.update", before.rule.id, before.rule, merged.data);
      const source = before.source === "custom" ? "custom" : "override";
      return c.json({
        rule: ruleView({
          rule: merged.data,
          source,
          createdAt: before.createdAt ?? now,
          updatedAt: now,
        }),
      });
    },
  )
  .delete(
    "/:id",
    requireAuth({ scope: "admin" }),
    validate("param", IdParam),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const before = await findRule(c.env.DB, projectId, c.req.valid("param").id);
      const id = before.rule.id;
      const fallback = DEFAULTS.get(id);
      if (before.source === "default") {
        throw new ApiError(
          "conflict",
          `Rule '${id}' is a default and has no override to remove; PATCH {"enabled": false} to disable it`,
        );
      }
      await drizzle(c.env.DB)
        .delete(rulesTable)
        .where(and(eq(rulesTable.projectId, projectId), eq(rulesTable.id, id)));
      await audit(c, projectId, "rule.delete", id, before.rule, fallback ?? null);
      // Removing an override restores the default: answer with the rule now in force.
      const restored = fallback
        ? ruleView({ rule: fallback, source: "default", createdAt: null, updatedAt: null })
        : null;
      return c.json({ deleted: id, ...(restored ? { rule: restored } : {}) });
    },
  );
