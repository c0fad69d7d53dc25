// The dashboard's Spend page with seeded rollups and a budget: spend by day (SVG, no script)
// with the daily budget line, each budget's state and forecast, spend by deployment and the
// count of interactions with no known cost.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HOUR_MS } from "../../src/shared/time";
import { spendBars } from "../../src/status/dashboard/spend-page";
import { BASE, call, createProject } from "../helpers";
import { seedHourlySpend } from "../spend/spend-seed";

async function signIn(key: string): Promise<string> {
  const res = await call("/dashboard/sign-in", {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: new URLSearchParams({ key }).toString(),
  });
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

describe("dashboard spend page", () => {
  it("shows spend by day against the budget line, budgets, deployments and unknown-cost events", async () => {
    const p = await createProject();
    const now = Date.now();
    const id = await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 2,
      from: now - 3 * HOUR_MS,
    });
    await env.DB.prepare(
      `UPDATE rollups SET summary = '{"cost":{"unknown_events":7}}' WHERE deployment_id = ? AND bucket_start = (SELECT MAX(bucket_start) FROM rollups WHERE deployment_id = ?)`,
    )
      .bind(id, id)
      .run();
    const created = await call("/v1/budgets", {
      method: "POST",
      key: p.admin,
      json: { name: "agent daily", amount_usd: 24, period: "day", scope: { type: "project" } },
    });
    expect(created.status).toBe(201);
    const cookie = await signIn(p.read);
    const res = await call("/dashboard/spend", { headers: { cookie }, redirect: "manual" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
    expect(html).toContain("Budget &quot;agent daily&quot;: $24.00 per day");
    expect(html).toContain("production/agent");
    expect(html).toContain("7 interactions in the last 30 days had no known cost");
    expect(html).toMatch(/agent daily<\/td><td>\$24.00 per day/);
  });

  it("answers a signed-out browser without the page", async () => {
    const res = await call("/dashboard/spend", { redirect: "manual" });
    expect(res.status).not.toBe(200);
  });

  it("scales bars and budget lines to the largest of both", () => {
    const g = spendBars(
      [
        { start: 0, usd: 10 },
        { start: 1, usd: 5 },
      ],
      [20],
      100,
      100,
    );
    expect(g.lines).toEqual([0]);
    expect(g.bars[0]).toMatchObject({ y: 50, h: 50 });
    expect(g.bars[1]).toMatchObject({ y: 75, h: 25 });
  });
});
