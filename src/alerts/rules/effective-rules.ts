// A project's rules in force: the defaults, overridden or disabled by rows with the same id,
// plus custom rules. Invalid stored rows are skipped (and logged), never fatal. The rules
// API and the evaluator read them through this one function.
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { rulesTable } from "../../db/schema";
import { DEFAULT_RULES } from "./default-rules";
import { type Rule, RuleSchema } from "./rule-schema";

/** Where a rule in force comes from: a default as shipped, a stored override of one, or custom. */
export type RuleSource = "default" | "override" | "custom";

export interface EffectiveRule {
  rule: Rule;
  source: RuleSource;
  /** The stored row's times; null for a default as shipped. */
  createdAt: number | null;
  updatedAt: number | null;
}

const DEFAULT_IDS = new Set(DEFAULT_RULES.map((r) => r.id));

/** Defaults first (in their fixed order, overrides in place), then custom rules by age. */
export async function effectiveRules(db: D1Database, projectId: string): Promise<EffectiveRule[]> {
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
    const parsed = RuleSchema.safeParse({ ...row.definition, id: row.id });
    if (!parsed.success) {
      console.error(`stored rule ${projectId}/${row.id} is invalid; skipped`, parsed.error.message);
      continue;
    }
    byId.set(row.id, {
      rule: parsed.data,
      source: DEFAULT_IDS.has(row.id) ? "override" : "custom",
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
  return [...byId.values()];
}

/** The rules in force, without where they come from (the evaluator's view). */
export async function loadRules(db: D1Database, projectId: string): Promise<Rule[]> {
  return (await effectiveRules(db, projectId)).map((e) => e.rule);
}
