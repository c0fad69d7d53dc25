// The opt-in user-share rule end to end: events ingested into a real Durable Object, the
// rule created through the API, the cron's step, the incident row (never public) and what
// a Slack receiver (test/receiver.global.ts) actually got; resolved when the user's share falls.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import {
  evaluateUserShareRules,
  userShareRuleId,
} from "../../../src/alerts/budgets/user-share-incidents";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { minuteOf } from "../../../src/shared/time";
import { received } from "../../alert-fixture";
import { createDeployment, ingestInto } from "../../deployment-fixture";
import { call, createProject, waitFor } from "../../helpers";
import { spendEvent } from "../../spend/spend-event";

let seq = 0;
async function setup() {
  const p = await createProject();
  const d = await createDeployment(p.id);
  const hook = `share-${Date.now().toString(36)}-${seq++}`;
  await env.DB.prepare(
    "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 'spend', ?, 1, 0)",
  )
    .bind(`ch_${hook}`, p.id, `${inject("receiverUrl")}/hook/${hook}`)
    .run();
  const ingest = (events: ArchivedEvent[]) => ingestInto(p.id, d, events);
  return { p, d, hook, ingest };
}

async function createRule(key: string, json: unknown) {
  const res = await call("/v1/user-share-rules", { method: "POST", key, json });
  return { status: res.status, body: (await res.json()) as { rule: { id: string } } };
}

async function incidentsOf(deploymentId: string, ruleId: string) {
  const { results } = await env.DB.prepare(
    "SELECT status, severity, public FROM incidents WHERE deployment_id = ? AND rule_id = ? ORDER BY started_at",
  )
    .bind(deploymentId, userShareRuleId(ruleId))
    .all<{ status: string; severity: string; public: number }>();
  return results;
}

describe("user-share rule", () => {
  it("a runaway user above the share and minimum fires with its hashed id, share and cost, and resolves when its share falls", async () => {
    const { p, d, hook, ingest } = await setup();
    // $25 of $27.50 (91 %) from one user.
    await ingest([
      ...Array.from({ length: 50 }, () => spendEvent(d.slug, "loop", 0.5)),
      ...Array.from({ length: 10 }, (_, i) => spendEvent(d.slug, `u${i}`, 0.25)),
    ]);
    const rule = await createRule(p.admin, {
      percent: 50,
      min_usd: 5,
      environment: "production",
      slug: d.slug,
      severity: "critical",
    });
    expect(rule.status).toBe(201);
    const id = rule.body.rule.id;

    const minute = minuteOf(Date.now());
    expect(await evaluateUserShareRules(env, minute)).toBe(1);
    expect(await incidentsOf(d.id, id)).toEqual([
      { status: "firing", severity: "critical", public: 0 },
    ]);
    const firing = await waitFor(
      () => received(hook),
      (r) => r.length >= 1,
    );
    const text = firing[0]?.body ?? "";
    expect(text).toContain("One user above 50 % of the last hour's spend");
    expect(text).toContain(`User loop spent $25.00 of $27.50 on production/${d.slug}`);
    expect(text).toContain("90.9 % of its spend");
    expect(text).toMatch(/\/dashboard\/incidents\/inc_/);

    // 40 more users at $1: the loop is now 37 % at most; the incident resolves.
    await ingest(Array.from({ length: 40 }, (_, i) => spendEvent(d.slug, `v${i}`, 1)));
    await evaluateUserShareRules(env, minute + 60_000);
    expect((await incidentsOf(d.id, id)).map((i) => i.status)).toEqual(["resolved"]);
    const all = await waitFor(
      () => received(hook),
      (r) => r.length >= 2,
    );
    expect(all[1]?.body).toContain("no user is above the share");

    // Deleting the rule deletes its incidents: nothing would evaluate them again.
    const del = await call(`/v1/user-share-rules/${id}`, { method: "DELETE", key: p.admin });
    expect(del.status).toBe(200);
    expect(await incidentsOf(d.id, id)).toEqual([]);
  });

  it("stays quiet while the heavy user spent less than the minimum", async () => {
    const { p, d, ingest } = await setup();
    await ingest([spendEvent(d.slug, "loop", 4), spendEvent(d.slug, "other", 0.5)]);
    const rule = await createRule(p.admin, { percent: 50, min_usd: 10 });
    await evaluateUserShareRules(env, minuteOf(Date.now()));
    expect(await incidentsOf(d.id, rule.body.rule.id)).toEqual([]);
  });

  it("fires only on the sketch's lower bound, never on its error", async () => {
    const { p, d, ingest } = await setup();
    // 66 users at $1, then one at $6: the sketch's bound ($2) puts the heavy user anywhere in
    // $6–$8 (8.3–11.1 % of $72); its estimate ($6) is never above the truth: a 10 % rule stays quiet.
    await ingest([
      ...Array.from({ length: 66 }, (_, i) => spendEvent(d.slug, `w${i}`, 1)),
      spendEvent(d.slug, "heavy", 6),
    ]);
    const top = await call(`/v1/deployments/production/${d.slug}/top-spenders?by=user&range=1h`, {
      key: p.read,
    });
    const { total_usd, spenders } = (await top.json()) as {
      total_usd: number;
      spenders: { key: string; cost_usd: number; cost_usd_max: number }[];
    };
    const heavy = spenders.find((s) => s.key === "heavy");
    // An upper-bound rule would fire here; the lower bound does not.
    expect((heavy?.cost_usd_max ?? 0) / total_usd).toBeGreaterThan(0.1);
    expect((heavy?.cost_usd ?? 0) / total_usd).toBeLessThan(0.1);
    const rule = await createRule(p.admin, { percent: 10, min_usd: 1 });
    await evaluateUserShareRules(env, minuteOf(Date.now()));
    expect(await incidentsOf(d.id, rule.body.rule.id)).toEqual([]);
  });
});

describe("/v1/user-share-rules", () => {
  it("lists the project's rules to a read key", async () => {
    const p = await createProject();
    await createRule(p.admin, { percent: 30 });
    const res = await call("/v1/user-share-rules", { key: p.read });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rules: unknown[] };
    expect(body.rules).toEqual([
      expect.objectContaining({ percent: 30, min_usd: 1, environment: null, severity: "warning" }),
    ]);
  });

  it("answers 400 for a share outside (0, 100), a negative minimum or a slug without environment", async () => {
    const p = await createProject();
    for (const json of [
      { percent: 0 },
      { percent: 100 },
      { percent: 20, min_usd: -1 },
      { percent: 20, slug: "bot" },
    ]) {
      expect((await createRule(p.admin, json)).status).toBe(400);
    }
  });

  it("answers 403 to a read key that tries to create one", async () => {
    const p = await createProject();
    expect((await createRule(p.read, { percent: 20 })).status).toBe(403);
  });

  it("answers 404 when deleting a rule the project does not have", async () => {
    const p = await createProject();
    const res = await call("/v1/user-share-rules/usr_missing", { method: "DELETE", key: p.admin });
    expect(res.status).toBe(404);
  });
});
