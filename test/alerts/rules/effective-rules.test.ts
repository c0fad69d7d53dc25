// A project's rules in force, as the rules API and the evaluator both read them: defaults
// in their fixed order (overrides in place), then custom rules by creation time; a stored
// row that no longer parses is skipped.
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { effectiveRules, loadRules } from "../../../src/alerts/rules/effective-rules";
import { CreateRuleSchema } from "../../../src/alerts/rules/rule-schema";
import { rulesTable } from "../../../src/db/schema";

const custom = (name: string) =>
  CreateRuleSchema.parse({ name, metric: "error_rate", test: "static", threshold: 0.1 });

async function store(projectId: string, id: string, definition: object, createdAt: number) {
  await drizzle(env.DB)
    .insert(rulesTable)
    .values({ projectId, id, definition: { ...definition }, createdAt, updatedAt: createdAt });
}

describe("effectiveRules", () => {
  it("lists defaults first with overrides in place, then custom rules oldest first, skipping invalid rows", async () => {
    const project = `rules-${crypto.randomUUID()}`;
    const [first] = DEFAULT_RULES;
    if (!first) throw new Error("no default rules");
    // Ids sort the other way round from their creation times.
    await store(project, "custom-z", custom("older"), 1_000);
    await store(project, "custom-a", custom("newer"), 2_000);
    await store(project, first.id, { ...first, enabled: false }, 3_000);
    await store(project, "custom-broken", { name: "no metric" }, 500);

    const rules = await effectiveRules(env.DB, project);

    expect(rules.map((e) => e.rule.id)).toEqual([
      ...DEFAULT_RULES.map((r) => r.id),
      "custom-z",
      "custom-a",
    ]);
    expect(rules[0]).toMatchObject({
      source: "override",
      createdAt: 3_000,
      rule: { enabled: false },
    });
    expect(rules[1]).toMatchObject({ source: "default", createdAt: null, updatedAt: null });
    expect(rules.at(-1)).toMatchObject({ source: "custom", createdAt: 2_000 });
  });

  it("gives the evaluator (loadRules) the same rules in the same order", async () => {
    const project = `rules-${crypto.randomUUID()}`;
    await store(project, "custom-z", custom("older"), 1_000);
    await store(project, "custom-a", custom("newer"), 2_000);
    const effective = await effectiveRules(env.DB, project);
    expect(await loadRules(env.DB, project)).toEqual(effective.map((e) => e.rule));
  });
});
