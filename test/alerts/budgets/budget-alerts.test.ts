// Budget burn-rate and forecast alerts end to end: rollups in real D1, the cron's budget
// step, the incident rows, the outbox, the NOTIFICATIONS queue and what a Slack receiver
// (test/receiver.global.ts) actually got; resolved when the pace falls back.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import {
  budgetMonitorId,
  budgetRuleId,
  evaluateBudgets,
} from "../../../src/alerts/budgets/budget-incidents";
import { HOUR_MS, MINUTE_MS, minuteOf } from "../../../src/shared/time";
import { received } from "../../alert-fixture";
import { call, createProject, waitFor } from "../../helpers";
import { seedHourlySpend } from "../../spend/spend-seed";

let seq = 0;

async function slackChannel(projectId: string): Promise<string> {
  const hook = `budget-${Date.now().toString(36)}-${seq++}`;
  await env.DB.prepare(
    "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 'spend', ?, 1, 0)",
  )
    .bind(`ch_${hook}`, projectId, `${inject("receiverUrl")}/hook/${hook}`)
    .run();
  return hook;
}

async function createBudget(key: string, json: unknown): Promise<string> {
  const res = await call("/v1/budgets", { method: "POST", key, json });
  expect(res.status).toBe(201);
  return ((await res.json()) as { budget: { id: string } }).budget.id;
}

async function incidents(projectId: string, budgetId: string) {
  const { results } = await env.DB.prepare(
    "SELECT rule_id, status, severity FROM incidents WHERE deployment_id = ? ORDER BY rule_id",
  )
    .bind(budgetMonitorId({ projectId, id: budgetId }))
    .all<{ rule_id: string; status: string; severity: string }>();
  return results;
}

/** Slack text of every message a hook received, joined. */
const slackText = (messages: { body: string }[]) => messages.map((m) => m.body).join("\n");

describe("budget alerts", () => {
  it("a runaway hour at 30× the even pace pages critical with what burns, then resolves when the pace falls back", async () => {
    const p = await createProject();
    const hook = await slackChannel(p.id);
    const minute = minuteOf(Date.now());
    // $24 a day is an even pace of $1 an hour; the last hour spent $0.50 a minute (30×).
    const deploymentId = await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 0.5,
      from: minute - HOUR_MS,
      to: minute,
      resolution: "1m",
      models: { "gpt-4o": 9, "gpt-4o-mini": 1 },
    });
    await env.DB.prepare(
      `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
       VALUES (?, 'gpt-4o', 'openai', '', 'v42', ?, ?, 10)`,
    )
      .bind(deploymentId, minute - 2 * HOUR_MS, minute)
      .run();
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 30,
      from: minute - HOUR_MS,
      to: minute - MINUTE_MS,
    });
    const budgetId = await createBudget(p.admin, {
      name: "agent daily",
      amount_usd: 24,
      period: "day",
      scope: { type: "deployment", environment: "production", slug: "agent" },
    });

    expect(await evaluateBudgets(env, minute)).toBeGreaterThanOrEqual(1);
    expect(await incidents(p.id, budgetId)).toEqual([
      { rule_id: budgetRuleId(budgetId, "fast"), status: "firing", severity: "critical" },
      { rule_id: budgetRuleId(budgetId, "forecast"), status: "firing", severity: "warning" },
    ]);
    const firing = await waitFor(
      () => received(hook),
      (r) => r.length >= 1,
    );
    const text = slackText(firing);
    expect(text).toContain('Budget \\"agent daily\\" burning ≥ 14× its even pace');
    expect(text).toContain("burns at 30× its even pace over 1 h ($30.00) and 30× over 5 min");
    expect(text).toContain("deployment production/agent (100 %)");
    expect(text).toContain("model gpt-4o (90 %)");
    expect(text).toContain("release v42");
    expect(text).toContain("forecast to exceed");
    expect(text).toMatch(/runs out|ran out/);
    // The button opens the alert's own incident page (a budget has no deployment chart).
    expect(text).toMatch(/\/dashboard\/incidents\/inc_[A-Za-z0-9_-]+/);

    // Six minutes later nothing was spent for five: the fast pair resolves, the forecast holds.
    await evaluateBudgets(env, minute + 6 * MINUTE_MS);
    expect((await incidents(p.id, budgetId)).map((i) => i.status)).toEqual(["resolved", "firing"]);
    const all = await waitFor(
      () => received(hook),
      (r) => r.length >= 2,
    );
    expect(all[1]?.body).toContain("esolved because the pace fell back below the threshold");

    // Deleting the budget deletes its incidents: nothing would evaluate them again.
    expect((await call(`/v1/budgets/${budgetId}`, { method: "DELETE", key: p.admin })).status).toBe(
      200,
    );
    expect(await incidents(p.id, budgetId)).toEqual([]);
  });

  it("overlapping budgets on one deployment each alert on their own", async () => {
    const p = await createProject();
    const hook = await slackChannel(p.id);
    const minute = minuteOf(Date.now());
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "bot",
      usdPerHour: 1,
      from: minute - HOUR_MS,
      to: minute,
      resolution: "1m",
    });
    // $60 in the hour: 60× a $24-a-day budget, 20× a $72-a-day project budget.
    const small = await createBudget(p.admin, {
      amount_usd: 24,
      period: "day",
      scope: { type: "project" },
    });
    const large = await createBudget(p.admin, {
      amount_usd: 72,
      period: "day",
      scope: { type: "deployment", environment: "production", slug: "bot" },
    });
    await evaluateBudgets(env, minute);
    expect((await incidents(p.id, small)).map((i) => i.rule_id)).toContain(
      budgetRuleId(small, "fast"),
    );
    expect((await incidents(p.id, large)).map((i) => i.rule_id)).toContain(
      budgetRuleId(large, "fast"),
    );
    const messages = await waitFor(
      () => received(hook),
      (r) => r.length >= 2,
    );
    expect(messages).toHaveLength(2);
  });

  it("a budget spending at its even pace stays quiet", async () => {
    const p = await createProject();
    const hook = await slackChannel(p.id);
    const minute = minuteOf(Date.now());
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "calm",
      usdPerHour: 1 / 60,
      from: minute - 6 * HOUR_MS,
      to: minute,
      resolution: "1m",
    });
    const id = await createBudget(p.admin, {
      amount_usd: 1_000,
      period: "month",
      scope: { type: "project" },
    });
    expect(await evaluateBudgets(env, minute)).toBeGreaterThanOrEqual(0);
    expect(await incidents(p.id, id)).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await received(hook)).toEqual([]);
  });
});
