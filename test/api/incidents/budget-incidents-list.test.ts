import { describe, expect, it } from "vitest";
import { budgetRuleId } from "../../../src/alerts/budgets/budget-incidents";
import { call, createProject } from "../../helpers";
import { firingBudget } from "../../spend/firing-budget";

interface Listed {
  rule_id: string;
  status: string;
  deployment: { environment: string; slug: string } | null;
  budget: { id: string; name: string } | null;
}

async function list(key: string, query = "") {
  const res = await call(`/v1/incidents${query}`, { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { incidents: Listed[] }).incidents;
}

describe("budget incidents in GET /v1/incidents", () => {
  it("lists a budget's firing alerts with the budget and no deployment", async () => {
    const { p, budgetId } = await firingBudget();

    const listed = await list(p.read);
    const fast = listed.find((i) => i.rule_id === budgetRuleId(budgetId, "fast"));
    expect(fast).toMatchObject({
      status: "firing",
      deployment: null,
      budget: { id: budgetId, name: "daily cap" },
    });
    // Filters by deployment name only match deployments' incidents.
    expect(await list(p.read, "?environment=production")).toEqual([]);
    // Another project's key does not see them.
    const other = await createProject();
    expect(await list(other.read)).toEqual([]);
  });
});
