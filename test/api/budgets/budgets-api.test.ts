// /v1/budgets against real D1: CRUD and audit, each scope's spend from the hourly rollups,
// the forecast and run-out date, overlapping budgets, the project's time zone, bad input.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, hourOf } from "../../../src/shared/time";
import { call, createProject } from "../../helpers";
import { seedHourlySpend } from "../../spend/spend-seed";

interface Budget {
  id: string;
  name: string;
  amount_usd: number;
  period: string;
  scope: Record<string, string>;
  status: {
    period_start: number;
    period_end: number;
    time_zone: string;
    spent_usd: number;
    forecast: { expected_usd: number; low_usd: number; high_usd: number; method: string };
    pace_usd_per_hour: number;
    even_pace_usd_per_hour: number;
    runs_out_at: number | null;
    state: string;
  };
}

async function create(key: string, json: unknown) {
  const res = await call("/v1/budgets", { method: "POST", key, json });
  return {
    status: res.status,
    body: (await res.json()) as { budget: Budget; error?: { message: string } },
  };
}

async function list(key: string): Promise<Budget[]> {
  const res = await call("/v1/budgets", { key });
  expect(res.status).toBe(200);
  return ((await res.json()) as { budgets: Budget[] }).budgets;
}

const utcMidnight = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;
/** Hours of today (UTC) up to and including the current one: what a $1-an-hour seed spent. */
const hoursToday = () => (hourOf(Date.now()) - utcMidnight(Date.now())) / HOUR_MS + 1;

describe("budgets API", () => {
  it("creates, reads, changes and deletes a budget, auditing each change", async () => {
    const p = await createProject();
    const made = await create(p.admin, {
      amount_usd: 500,
      period: "month",
      scope: { type: "deployment", environment: "production", slug: "bot" },
    });
    expect(made.status).toBe(201);
    const id = made.body.budget.id;
    expect(made.body.budget).toMatchObject({
      name: "deployment production/bot per month",
      amount_usd: 500,
      currency: "USD",
      scope: { type: "deployment", environment: "production", slug: "bot" },
    });
    const got = await call(`/v1/budgets/${id}`, { key: p.read });
    expect(got.status).toBe(200);
    const patched = await call(`/v1/budgets/${id}`, {
      method: "PATCH",
      key: p.admin,
      json: { amount_usd: 750, name: "bot monthly" },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { budget: Budget }).budget).toMatchObject({
      amount_usd: 750,
      name: "bot monthly",
    });
    const deleted = await call(`/v1/budgets/${id}`, { method: "DELETE", key: p.admin });
    expect(await deleted.json()).toEqual({ deleted: id });
    expect((await call(`/v1/budgets/${id}`, { key: p.read })).status).toBe(404);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? AND target = ? ORDER BY id",
    )
      .bind(p.id, id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "budget.create",
      "budget.update",
      "budget.delete",
    ]);
  });

  it("answers what a daily budget spent today, its forecast, even pace and the hour it ran out", async () => {
    const p = await createProject();
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "bot",
      usdPerHour: 1,
      from: Date.now() - 14 * DAY_MS,
    });
    const { body } = await create(p.admin, {
      amount_usd: 2,
      period: "day",
      scope: { type: "project" },
    });
    const s = body.budget.status;
    expect(s.period_start).toBe(utcMidnight(Date.now()));
    expect(s.period_end).toBe(utcMidnight(Date.now()) + DAY_MS);
    expect(s.time_zone).toBe("UTC");
    expect(s.spent_usd).toBeCloseTo(hoursToday(), 9);
    expect(s.forecast.method).toBe("weekly");
    // $1 an hour all day: 24, plus the rest of the current hour (already counted whole).
    expect(s.forecast.expected_usd).toBeGreaterThanOrEqual(24);
    expect(s.forecast.expected_usd).toBeLessThanOrEqual(25);
    expect(s.pace_usd_per_hour).toBeCloseTo(1, 9);
    expect(s.even_pace_usd_per_hour).toBeCloseTo(2 / 24, 9);
    expect(s.state).toBe(hoursToday() >= 2 ? "exceeded" : "at_risk");
    if (hoursToday() > 2) expect(s.runs_out_at).toBe(utcMidnight(Date.now()) + 2 * HOUR_MS);
    else if (hoursToday() === 2) {
      // In the day's second hour, whose dollar is counted whole up to now: it ran out now.
      expect(s.runs_out_at).toBeGreaterThan(Date.now() - 60_000);
      expect(s.runs_out_at).toBeLessThanOrEqual(Date.now());
    } else {
      // Just after midnight: $1 spent, the second dollar an hour from now at $1 an hour.
      expect(s.runs_out_at).toBeGreaterThan(Date.now() + HOUR_MS - 60_000);
      expect(s.runs_out_at).toBeLessThanOrEqual(Date.now() + HOUR_MS);
    }
  });

  it("a project with no spend answers zero spent, a zero forecast and no run-out date", async () => {
    const p = await createProject();
    const { body } = await create(p.admin, {
      amount_usd: 100,
      period: "month",
      scope: { type: "project" },
    });
    expect(body.budget.status).toMatchObject({
      spent_usd: 0,
      forecast: { expected_usd: 0, low_usd: 0, high_usd: 0 },
      runs_out_at: null,
      state: "ok",
    });
  });

  it("each scope counts only its own spend, and overlapping budgets each answer on their own", async () => {
    const p = await createProject();
    const from = utcMidnight(Date.now());
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "a",
      usdPerHour: 1,
      from,
      models: { "gpt-4o": 3, "claude-sonnet-4": 1 },
    });
    await seedHourlySpend({
      projectId: p.id,
      environment: "staging",
      slug: "b",
      usdPerHour: 2,
      from,
      models: { "claude-sonnet-4": 5 },
    });
    const other = await createProject();
    await seedHourlySpend({
      projectId: other.id,
      environment: "production",
      slug: "a",
      usdPerHour: 50,
      from,
    });
    const scopes = [
      { type: "project" },
      { type: "environment", environment: "production" },
      { type: "deployment", environment: "staging", slug: "b" },
      { type: "model", model: "gpt-4o" },
      { type: "model", model: "claude-sonnet-4" },
      { type: "project" },
    ];
    for (const scope of scopes) {
      expect((await create(p.admin, { amount_usd: 1000, period: "day", scope })).status).toBe(201);
    }
    const n = hoursToday();
    const spent = (await list(p.read)).map((b) => b.status.spent_usd);
    const want = [3 * n, n, 2 * n, 0.75 * n, 0.25 * n + 2 * n, 3 * n];
    expect(spent.map((usd) => Math.round(usd * 1e6))).toEqual(
      want.map((usd) => Math.round(usd * 1e6)),
    );
  });

  it("a model budget counts exactly what the model cost, not its share of the requests", async () => {
    const p = await createProject();
    const from = utcMidnight(Date.now());
    // One gpt-4o request cost $0.90 of the hour's $1; nine gpt-4o-mini requests cost $0.10.
    await seedHourlySpend({
      projectId: p.id,
      environment: "production",
      slug: "a",
      usdPerHour: 1,
      from,
      models: { "gpt-4o": 1, "gpt-4o-mini": 9 },
      costByModel: { "gpt-4o": 0.9, "gpt-4o-mini": 0.1 },
    });
    for (const model of ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4"]) {
      const scope = { type: "model", model };
      expect((await create(p.admin, { amount_usd: 1000, period: "day", scope })).status).toBe(201);
    }
    const n = hoursToday();
    const spent = (await list(p.read)).map((b) => Math.round(b.status.spent_usd * 1e6));
    expect(spent).toEqual([0.9 * n, 0.1 * n, 0].map((usd) => Math.round(usd * 1e6)));
  });

  it("days begin at midnight in the project's time zone once it is set", async () => {
    const p = await createProject();
    const patched = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { time_zone: "Asia/Tokyo" },
    });
    expect(patched.status).toBe(200);
    const { body } = await create(p.admin, {
      amount_usd: 10,
      period: "day",
      scope: { type: "project" },
    });
    const tokyoMidnight = Math.floor((Date.now() + 9 * HOUR_MS) / DAY_MS) * DAY_MS - 9 * HOUR_MS;
    expect(body.budget.status.period_start).toBe(tokyoMidnight);
    expect(body.budget.status.time_zone).toBe("Asia/Tokyo");
  });

  it("refuses an unknown time zone with 400", async () => {
    const p = await createProject();
    const res = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { time_zone: "Mars/Olympus_Mons" },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("IANA time zone");
  });

  it.each([
    ["a negative amount", { amount_usd: -5 }, "amount_usd: must be more than 0"],
    ["a zero amount", { amount_usd: 0 }, "amount_usd: must be more than 0"],
    ["an absurd amount", { amount_usd: 1e12 }, "amount_usd: must be at most 10000000 USD"],
    ["a currency other than USD", { currency: "EUR" }, "currency: only USD is supported"],
    ["an unknown scope", { scope: { type: "team" } }, "scope.type: must be one of project"],
    [
      "a deployment scope without its slug",
      { scope: { type: "deployment", environment: "production" } },
      "scope.slug",
    ],
    ["an unknown period", { period: "week" }, "period"],
  ])("refuses %s with 400 saying why", async (_, change, message) => {
    const p = await createProject();
    const res = await call("/v1/budgets", {
      method: "POST",
      key: p.admin,
      json: { amount_usd: 10, period: "day", scope: { type: "project" }, ...change },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
  });

  it.each([
    ["a negative amount", { amount_usd: -1 }, "amount_usd: must be more than 0"],
    ["an absurd amount", { amount_usd: Number.MAX_VALUE }, "amount_usd: must be at most"],
    ["a currency other than USD", { currency: "EUR", amount_usd: 5 }, "only USD is supported"],
    ["an unknown scope", { scope: { type: "team", name: "ml" } }, "scope.type"],
    ["nothing to change", {}, "nothing to change"],
  ])(
    "refuses a change to %s with 400 and keeps the budget as it was",
    async (_, change, message) => {
      const p = await createProject();
      const made = await create(p.admin, {
        amount_usd: 10,
        period: "day",
        scope: { type: "project" },
      });
      const res = await call(`/v1/budgets/${made.body.budget.id}`, {
        method: "PATCH",
        key: p.admin,
        json: change,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        message,
      );
      const [kept] = await list(p.read);
      expect(kept).toMatchObject({ amount_usd: 10, currency: "USD", scope: { type: "project" } });
    },
  );

  it("accepts a scope naming a deployment, environment or model that has sent nothing yet, at $0 spent", async () => {
    const p = await createProject();
    for (const scope of [
      { type: "deployment", environment: "production", slug: "launches-next-week" },
      { type: "environment", environment: "canary" },
      { type: "model", model: "gpt-5.6-luna" },
    ]) {
      const { status, body } = await create(p.admin, { amount_usd: 50, period: "month", scope });
      expect(status).toBe(201);
      expect(body.budget.scope).toEqual(scope);
      expect(body.budget.status).toMatchObject({ spent_usd: 0, runs_out_at: null, state: "ok" });
    }
  });

  it("refuses changes from a read key (403) and every call without a key (401)", async () => {
    const p = await createProject();
    const json = { amount_usd: 10, period: "day", scope: { type: "project" } };
    expect((await call("/v1/budgets", { method: "POST", key: p.read, json })).status).toBe(403);
    expect((await call("/v1/budgets", {})).status).toBe(401);
  });

  it("answers 404 for another project's budget", async () => {
    const p = await createProject();
    const other = await createProject();
    const { body } = await create(p.admin, {
      amount_usd: 10,
      period: "day",
      scope: { type: "project" },
    });
    const res = await call(`/v1/budgets/${body.budget.id}`, { method: "DELETE", key: other.admin });
    expect(res.status).toBe(404);
  });

  it("refuses a 101st budget with 409", async () => {
    const p = await createProject();
    const rows = Array.from({ length: 100 }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO budgets (id, project_id, name, amount_usd, period, scope_type, created_at, updated_at)
         VALUES (?1, ?2, 'b', 1, 'day', 'project', 0, 0)`,
      ).bind(`bud_fill_${p.id}_${i}`, p.id),
    );
    await env.DB.batch(rows);
    const { status } = await create(p.admin, {
      amount_usd: 10,
      period: "day",
      scope: { type: "project" },
    });
    expect(status).toBe(409);
  });

  it("appears in the OpenAPI document", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/budgets", "/v1/budgets/{id}"]),
    );
  });
});
