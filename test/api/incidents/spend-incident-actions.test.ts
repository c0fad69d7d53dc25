// A budget's alerts and a user-share rule's alerts are worked like any rule's: GET
// /v1/incidents/{id}, acknowledge, silence, resolve by hand, written updates, each audited;
// neither can be put on a public status page.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { budgetRuleId, evaluateBudgets } from "../../../src/alerts/budgets/budget-incidents";
import {
  evaluateUserShareRules,
  userShareRuleId,
} from "../../../src/alerts/budgets/user-share-incidents";
import { MINUTE_MS, minuteOf } from "../../../src/shared/time";
import { createDeployment, ingestInto } from "../../deployment-fixture";
import { call, createProject } from "../../helpers";
import { firingBudget } from "../../spend/firing-budget";
import { spendEvent } from "../../spend/spend-event";

interface Detail {
  id: string;
  status: string;
  deployment: unknown;
  budget: { id: string; name: string } | null;
  rule_id: string;
  acked_at: number | null;
  silenced: boolean;
  public: boolean;
  message: string | null;
}

const act = async (key: string, id: string, path: string, json?: unknown) => {
  const res = await call(`/v1/incidents/${id}${path}`, {
    // "" is the incident itself: PATCH shows or hides it; the rest are POST actions.
    method: path === "" ? "PATCH" : "POST",
    key,
    ...(json === undefined ? {} : { json }),
  });
  return { status: res.status, body: (await res.json()) as { incident: Detail } };
};

const auditActions = async (target: string) =>
  (
    await env.DB.prepare("SELECT action FROM audit_log WHERE target = ? ORDER BY id")
      .bind(target)
      .all<{ action: string }>()
  ).results.map((r) => r.action);

describe("a budget's incident through /v1/incidents/{id}", () => {
  it("is answered with its budget and no deployment", async () => {
    const { p, budgetId, id } = await firingBudget();
    const res = await call(`/v1/incidents/${id}`, { key: p.read });
    expect(res.status).toBe(200);
    const { incident } = (await res.json()) as { incident: Detail };
    expect(incident).toMatchObject({
      id,
      status: "firing",
      deployment: null,
      budget: { id: budgetId, name: "daily cap" },
      public: false,
    });
    expect(incident.message).toContain('Budget "daily cap"');
    // Another project's key does not find it.
    const other = await createProject();
    expect((await call(`/v1/incidents/${id}`, { key: other.read })).status).toBe(404);
  });

  it("is acknowledged, silenced, updated and resolved by hand, each audited", async () => {
    const { p, id } = await firingBudget();
    const ack = await act(p.admin, id, "/ack");
    expect(ack.status).toBe(200);
    expect(ack.body.incident.acked_at).not.toBeNull();
    const silence = await act(p.admin, id, "/silence", { duration_minutes: 60 });
    expect(silence.status).toBe(200);
    expect(silence.body.incident.silenced).toBe(true);
    const update = await call(`/v1/incidents/${id}/updates`, {
      method: "POST",
      key: p.admin,
      json: { status: "identified", text: "An agent loop in the nightly job." },
    });
    expect(update.status).toBe(201);
    const updates = await call(`/v1/incidents/${id}/updates`, { key: p.read });
    expect(((await updates.json()) as { updates: unknown[] }).updates).toHaveLength(1);
    const resolve = await act(p.admin, id, "/resolve");
    expect(resolve.status).toBe(200);
    expect(resolve.body.incident.status).toBe("resolved");
    expect(await auditActions(id)).toEqual([
      "incident.ack",
      "incident.silence",
      "incident.update",
      "incident.resolve",
    ]);
  });

  it("resolved by hand while the budget still burns, opens a new incident at the next minute", async () => {
    const { p, minute, budgetId, id } = await firingBudget();
    expect((await act(p.admin, id, "/resolve")).status).toBe(200);
    await evaluateBudgets(env, minute + MINUTE_MS);
    const { results } = await env.DB.prepare(
      "SELECT id, status FROM incidents WHERE rule_id = ? ORDER BY started_at, id",
    )
      .bind(budgetRuleId(budgetId, "fast"))
      .all<{ id: string; status: string }>();
    expect(results.map((r) => r.status).sort()).toEqual(["firing", "resolved"]);
  });

  it("answers 409 to showing it on the public status page; hiding it is allowed", async () => {
    const { p, id } = await firingBudget();
    const show = await call(`/v1/incidents/${id}`, {
      method: "PATCH",
      key: p.admin,
      json: { public: true },
    });
    expect(show.status).toBe(409);
    const hide = await act(p.admin, id, "", { public: false });
    expect(hide.status).toBe(200);
    expect(hide.body.incident.public).toBe(false);
  });

  it("answers 404 once its budget is deleted", async () => {
    const { p, budgetId, id } = await firingBudget();
    const del = await call(`/v1/budgets/${budgetId}`, { method: "DELETE", key: p.admin });
    expect(del.status).toBe(200);
    expect((await call(`/v1/incidents/${id}`, { key: p.read })).status).toBe(404);
    expect((await act(p.admin, id, "/ack")).status).toBe(404);
  });
});

describe("a user-share rule's incident", () => {
  it("is worked through the API, never shown on a status page, also in a new episode", async () => {
    const p = await createProject();
    const d = await createDeployment(p.id);
    await ingestInto(p.id, d, [
      ...Array.from({ length: 20 }, () => spendEvent(d.slug, "loop", 1)),
      spendEvent(d.slug, "other", 1),
    ]);
    const created = await call("/v1/user-share-rules", {
      method: "POST",
      key: p.admin,
      json: { percent: 50, min_usd: 5 },
    });
    const ruleId = ((await created.json()) as { rule: { id: string } }).rule.id;
    const minute = minuteOf(Date.now());
    await evaluateUserShareRules(env, minute);
    const first = await env.DB.prepare("SELECT id FROM incidents WHERE rule_id = ?")
      .bind(userShareRuleId(ruleId))
      .first<{ id: string }>();
    const id = first?.id ?? "";

    const got = await call(`/v1/incidents/${id}`, { key: p.read });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { incident: Detail }).incident).toMatchObject({
      deployment: { environment: "production", slug: d.slug },
      budget: null,
      public: false,
    });
    const show = await call(`/v1/incidents/${id}`, {
      method: "PATCH",
      key: p.admin,
      json: { public: true },
    });
    expect(show.status).toBe(409);

    // Resolved by hand while the user still burns: the next minute opens a new episode, hidden too.
    expect((await act(p.admin, id, "/resolve")).status).toBe(200);
    await evaluateUserShareRules(env, minute + MINUTE_MS);
    const { results } = await env.DB.prepare(
      "SELECT status, public FROM incidents WHERE rule_id = ? ORDER BY started_at, id",
    )
      .bind(userShareRuleId(ruleId))
      .all<{ status: string; public: number }>();
    expect(results).toHaveLength(2);
    expect(results.map((r) => r.public)).toEqual([0, 0]);
  });
});
