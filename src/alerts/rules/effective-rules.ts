// A project's rules: the defaults, overridden or disabled by rows with the same id,
// plus custom rules. Invalid stored rows are skipped (and logged), never fatal.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { rulesTable } from "../../db/schema";
import { DEFAULT_RULES } from "./default-rules";
import { type Rule, RuleSchema } from "./rule-schema";

export async function loadRules(db: D1Database, projectId: string): Promise<Rule[]> {
  const rows = await drizzle(db)
    .select()
    .from(rulesTable)
    .where(eq(rulesTable.projectId, projectId));
  const byId = new Map<string, Rule>(DEFAULT_RULES.map((r) => [r.id, r]));
  for (const row of rows) {
    const parsed = RuleSchema.safeParse({ ...row.definition, id: row.id });
    if (parsed.success) byId.set(row.id, parsed.data);
    else
      console.error(`stored rule ${projectId}/${row.id} is invalid; skipped`, parsed.error.message);
  }
  return [...byId.values()];
}
