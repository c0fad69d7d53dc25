// Events whose cost is unknown, end to end: sent through POST /v1/events without cost_usd,
// priced from the table or the project's overrides at ingest, and where no price is known
// counted as unknown (never $0) in the window, the budgets and the Spend page.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createProject, uniqueSlug, waitFor } from "../helpers";
import { dashboardCookie } from "../status/sign-in";

interface CostSummary {
  count: number;
  cost: { total_usd: number; per_request_usd: number | null; unknown_events: number };
}

async function projectWithOverride() {
  const p = await createProject("unknown cost");
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: ADMIN,
    json: { price_overrides: { "acme-support-ft": { input: 1, output: 4 } } },
  });
  expect(res.status).toBe(200);
  return p;
}

/** The deployment's last hour, once it counts at least `count` interactions. */
async function hourSummary(readKey: string, slug: string, count: number) {
  return waitFor(
    async () => {
      const res = await call(`/v1/deployments/production/${slug}/window?range=1h`, {
        key: readKey,
      });
      return res.status === 200
        ? ((await res.json()) as { window: { summary: CostSummary } }).window.summary
        : null;
    },
    (s) => (s?.count ?? 0) >= count,
  );
}

async function spendPage(readKey: string): Promise<string> {
  const cookie = await dashboardCookie(readKey);
  const res = await call("/dashboard/spend", { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

describe("events whose cost is unknown", () => {
  it("are counted as unknown, not as $0, in the window, the budgets and the Spend page", async () => {
    const p = await projectWithOverride();
    const slug = uniqueSlug("costs");
    const sent = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: [
        // The table: 1M input tokens of gpt-4o-mini at $0.15.
        { deployment: slug, model: "gpt-4o-mini", input_tokens: 1_000_000, output_tokens: 0 },
        // The project's override: 1M input and 0.25M output at $1/$4 = $2.
        {
          deployment: slug,
          model: "acme-support-ft-v2",
          input_tokens: 1_000_000,
          output_tokens: 250_000,
        },
        // In neither: tokens but no price, and no cost reported.
        { deployment: slug, model: "home-grown-llm", input_tokens: 5_000, output_tokens: 500 },
        // No model at all.
        { deployment: slug, input_tokens: 100 },
      ],
    });
    expect(sent.status).toBe(202);

    const summary = await hourSummary(p.read, slug, 4);
    expect(summary?.count).toBe(4);
    expect(summary?.cost.unknown_events).toBe(2);
    expect(summary?.cost.total_usd).toBeCloseTo(2.15, 9);
    // Averaged over the two interactions that had a cost, not over all four.
    expect(summary?.cost.per_request_usd).toBeCloseTo(2.15 / 2, 9);

    // The object's alarm writes the hour's rollup: the budget counts only known costs.
    const monitor = env.DEPLOYMENT_MONITOR.getByName(`${p.id}:production:${slug}`);
    await runDurableObjectAlarm(monitor);
    const budget = await call("/v1/budgets", {
      method: "POST",
      key: p.admin,
      json: { amount_usd: 100, period: "month", scope: { type: "project" } },
    });
    expect(budget.status).toBe(201);
    const { status } = ((await budget.json()) as { budget: { status: { spent_usd: number } } })
      .budget;
    expect(status.spent_usd).toBeCloseTo(2.15, 9);

    expect(await spendPage(p.read)).toContain(
      "2 interactions in the last 30 days had no known cost",
    );
  });

  it("are priced by an override set with PATCH from the next event on, not retroactively", async () => {
    const p = await projectWithOverride();
    const slug = uniqueSlug("costs");
    const send = async (id: string) => {
      const res = await call("/v1/events", {
        method: "POST",
        key: p.ingest,
        json: { id, deployment: slug, model: "in-house-7b", input_tokens: 1_000_000 },
      });
      expect(res.status).toBe(202);
    };
    // Sent before the override (and the ingest key's answer now cached): unknown.
    await send("before");
    expect((await hourSummary(p.read, slug, 1))?.cost.unknown_events).toBe(1);
    const patched = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: ADMIN,
      json: { price_overrides: { "in-house-7b": { input: 0.3, output: 0.3 } } },
    });
    expect(patched.status).toBe(200);
    await send("after");
    const summary = await hourSummary(p.read, slug, 2);
    expect(summary?.count).toBe(2);
    expect(summary?.cost.unknown_events).toBe(1);
    expect(summary?.cost.total_usd).toBeCloseTo(0.3, 9);
  });
});
