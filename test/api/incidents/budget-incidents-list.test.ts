// GET /v1/incidents lists a budget's alerts beside the deployments' ones: with the budget
// (id, name) and no deployment; a deployment or environment filter leaves them out.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { budgetRuleId, evaluateBudgets } from "../../../src/alerts/budgets/budget-incidents";
import { HOUR_MS, minuteOf } from "../../../src/shared/time";
import { call, createProject } from "../../helpers";
import { seedHourlySpend } from "../../spend/spend-seed";

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
    const p = await createProject();
    const minute = minuteOf(Date.now());
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 1,
      from: minute - HOUR_MS,
      to: minute,
      resolution: "1m",
    });
    const res = await call("/v1/budgets", {
      method: "POST",
      key: p.admin,
      json: { name: "daily cap", amount_usd: 24, period: "day", scope: { type: "project" } },
    });
    const budgetId = ((await res.json()) as { budget: { id: string } }).budget.id;
    await evaluateBudgets(env, minute);

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
