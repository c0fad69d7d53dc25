// The dashboard's Spend page with seeded rollups and budgets: spend by day (SVG, no script)
// with the daily budget line, each budget's state and forecast cone, spend by deployment,
// model and release, the top users from the Durable Object's sketches, the count of
// interactions with no known cost, and the page's size with a project's most budgets.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PRICE_TABLE } from "../../src/ingest/prices";
import { DAY_MS, HOUR_MS } from "../../src/shared/time";
import { forecastCone, spendBars } from "../../src/status/dashboard/spend-geometry";
import { ingestInto } from "../deployment-fixture";
import { call, createProject } from "../helpers";
import { spendEvent } from "../spend/spend-event";
import { seedHourlySpend } from "../spend/spend-seed";
import { dashboardCookie } from "./sign-in";

const page = async (key: string) => {
  const cookie = await dashboardCookie(key);
  const res = await call("/dashboard/spend", { headers: { cookie }, redirect: "manual" });
  expect(res.status).toBe(200);
  return res.text();
};

const budget = async (admin: string, json: unknown) => {
  const res = await call("/v1/budgets", { method: "POST", key: admin, json });
  expect(res.status).toBe(201);
  return ((await res.json()) as { budget: { id: string } }).budget.id;
};

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
    const html = await page(p.read);
    expect(html).toContain("<svg");
    expect(html).not.toContain("<script");
    expect(html).toContain("Budget &quot;agent daily&quot;: $24.00 per day");
    expect(html).toContain("production/agent");
    expect(html).toContain("7 interactions in the last 30 days had no known cost");
    expect(html).toMatch(/agent daily<\/td><td>\$24.00 per day/);
    expect(html).toContain(`at the built-in list prices as of ${PRICE_TABLE.asOf}`);
    expect(html).toContain("this project&#39;s 0 price overrides");
    // The deployment's object holds no sketch: no identified users, not a failure.
    expect(html).toContain("No spend by identified users in the last 24 hours.");
  });

  it("draws each budget's forecast cone against its amount, and splits spend by model and release", async () => {
    const p = await createProject();
    const now = Date.now();
    // 10 requests an hour: 6 on gpt-4o, 4 on gpt-4o-mini; $5 an hour for 4 hours.
    const id = await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 5,
      from: now - 6 * HOUR_MS,
      to: now - 3 * HOUR_MS,
      models: { "gpt-4o": 6, "gpt-4o-mini": 4 },
    });
    // v1 from long ago, v2 first seen during the last seeded hour: that hour is v2's.
    const last = Math.floor((now - 3 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    for (const [release, seen] of [
      ["v1", now - 10 * DAY_MS],
      ["v2", last + 60_000],
    ] as const) {
      await env.DB.prepare(
        "INSERT INTO releases (deployment_id, release, first_seen, last_seen, event_count) VALUES (?, ?, ?, ?, 1)",
      )
        .bind(id, release, seen, seen)
        .run();
    }
    const monthly = await budget(p.admin, {
      name: "models",
      amount_usd: 100,
      period: "month",
      scope: { type: "model", model: "gpt-4o" },
    });
    const html = await page(p.read);
    expect(html).not.toContain("<script");
    const card = html.slice(html.indexOf(`id="budget-${monthly}"`));
    expect(card).toContain("<polygon points=");
    expect(card).toContain("$100.00 per month · model gpt-4o");
    // On the daily chart, a monthly budget's line is its average day.
    expect(html).toMatch(
      /Budget &quot;models&quot;: \$100\.00 per month, \$3\.(23|33|45|57) per day on average/,
    );
    // By model: $20 split 60/40; by release: 3 hours of v1, 1 of v2.
    expect(html).toMatch(/gpt-4o<\/td><td class="num">\$12\.00/);
    expect(html).toMatch(/gpt-4o-mini<\/td><td class="num">\$8\.00/);
    expect(html).toMatch(/production\/agent v1<\/td><td class="num">\$15\.00/);
    expect(html).toMatch(/production\/agent v2<\/td><td class="num">\$5\.00/);
  });

  it("splits spend by model by what each model cost, not by its share of the requests", async () => {
    const p = await createProject();
    const now = Date.now();
    // 6 of 10 requests on gpt-4o, but $4.50 of each hour's $5 (4 hours).
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 5,
      from: now - 6 * HOUR_MS,
      to: now - 3 * HOUR_MS,
      models: { "gpt-4o": 6, "gpt-4o-mini": 4 },
      costByModel: { "gpt-4o": 4.5, "gpt-4o-mini": 0.5 },
    });
    const html = await page(p.read);
    expect(html).toMatch(/gpt-4o<\/td><td class="num">\$18\.00/);
    expect(html).toMatch(/gpt-4o-mini<\/td><td class="num">\$2\.00/);
  });

  it("lists the busiest deployment's heaviest users from its sketch, with the bound", async () => {
    const p = await createProject();
    const now = Date.now();
    const id = await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "agent",
      usdPerHour: 1,
      from: now - 4 * HOUR_MS,
      to: now - 2 * HOUR_MS,
    });
    await ingestInto(p.id, { id, environment: "production", slug: "agent" }, [
      spendEvent("agent", "loopuser0123456789", 9),
      spendEvent("agent", "quiet", 1),
    ]);
    const html = await page(p.read);
    const top = html.slice(html.indexOf('data-spenders="production/agent"'));
    expect(top).toContain('title="loopuser0123456789"');
    expect(top).toContain("loopuser0123…");
    expect(top).toMatch(/\$9\.00<\/td><td class="num">90\.0 %/);
    expect(top).toContain("Exact (fewer users than the sketch");
  });

  it("stays under the 64 KB page budget with 100 budgets and 30 deployments", async () => {
    const p = await createProject();
    const now = Date.now();
    for (let i = 0; i < 30; i++) {
      await seedHourlySpend({
        projectId: p.id,
        environment: "production",
        slug: `service-number-${i}`,
        usdPerHour: 1 + i,
        from: now - 3 * DAY_MS,
        models: { "gpt-4o": 5, [`model-${i}`]: 5 },
      });
    }
    const rows = Array.from({ length: 100 }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO budgets (id, project_id, name, amount_usd, period, scope_type, scope_environment, scope_slug, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'deployment', 'production', ?, 0, 0)`,
      ).bind(
        `bud_size_${p.id}_${i}`,
        p.id,
        `a budget with a long name ${i}`,
        10 + i,
        i % 2 ? "day" : "month",
        `service-number-${i % 30}`,
      ),
    );
    await env.DB.batch(rows);
    const html = await page(p.read);
    expect(html.match(/<polygon /g)).toHaveLength(12);
    // The daily chart draws the same 12 budgets' lines, not all 100.
    expect(html.match(/<line x1="0" x2="600"/g)).toHaveLength(12);
    expect(html.match(/a budget with a long name \d+<\/td>/g)).toHaveLength(100);
    const bytes = new TextEncoder().encode(html).length;
    expect(bytes).toBeLessThan(64 * 1024);
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

describe("forecast cone geometry", () => {
  const day = { periodStart: 0, periodEnd: DAY_MS, amountUsd: 24 };

  it("ends the spent line at the spend so far and opens the cone to the interval's ends", () => {
    const hours = Array.from({ length: 12 }, (_, i) => ({ start: i * HOUR_MS, usd: 1 }));
    const c = forecastCone(
      { ...day, now: 12 * HOUR_MS, hours, spentUsd: 12, expectedUsd: 24, lowUsd: 20, highUsd: 30 },
      300,
      90,
    );
    // The top is 5 % above the largest value (the interval's high, $30).
    expect(c.maxUsd).toBeCloseTo(31.5);
    const y = (v: number) => Math.round((90 - (v / 31.5) * 90) * 10) / 10;
    expect(c.nowX).toBe(150);
    expect(c.spentY).toBe(y(12));
    expect(c.amountY).toBe(y(24));
    expect(c.endY).toBe(y(24));
    expect(c.cone).toBe(`150,${y(12)} 300,${y(30)} 300,${y(20)}`);
    // A point per hour of a daily budget: 0, 1 h … 11 h, then now.
    const points = c.spent.split(" ");
    expect(points).toHaveLength(13);
    // At 1 h, the first hour's $1 is spent; at 2 h, two.
    expect(points[1]).toBe(`12.5,${y(1)}`);
    expect(points[2]).toBe(`25,${y(2)}`);
    expect(points.at(-1)).toBe(`150,${y(12)}`);
  });

  it("draws a month with a point per day, at most 32 points", () => {
    const month = 31 * DAY_MS;
    const hours = Array.from({ length: 30 * 24 }, (_, i) => ({ start: i * HOUR_MS, usd: 0.1 }));
    const c = forecastCone({
      periodStart: 0,
      periodEnd: month,
      now: month - 1,
      hours,
      amountUsd: 100,
      spentUsd: 72,
      expectedUsd: 74.4,
      lowUsd: 72,
      highUsd: 80,
    });
    expect(c.spent.split(" ").length).toBeLessThanOrEqual(32);
  });
});
