// A budget whose fast burn fires: a project spending $1 a minute for the last hour against a
// "daily cap" of $24 a day, its budgets evaluated once. For tests of what follows an alert.
import { env } from "cloudflare:workers";
import { budgetRuleId, evaluateBudgets } from "../../src/alerts/budgets/budget-incidents";
import { HOUR_MS, minuteOf } from "../../src/shared/time";
import { call, createProject } from "../helpers";
import { seedHourlySpend } from "./spend-seed";

/** A project whose "daily cap" budget's fast burn fires at `minute`; `id` is its incident. */
export async function firingBudget() {
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
  const row = await env.DB.prepare("SELECT id FROM incidents WHERE rule_id = ?")
    .bind(budgetRuleId(budgetId, "fast"))
    .first<{ id: string }>();
  if (!row) throw new Error("the fast burn did not fire");
  return { p, minute, budgetId, id: row.id };
}
