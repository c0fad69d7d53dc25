// A rule's repeat_interval_minutes and send_resolved, end to end: set through the rules API,
// honoured by the evaluation ticks, visible in what is queued for the channel (the delivery
// log's payloads). Two static error-rate rules watch the same 30-minute error burst: one
// with reminders every 12 minutes and no resolved message, one with the defaults.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { WebhookPayload } from "../../../src/alerts/delivery/webhook-payload";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { client, expectStatus } from "../../client";
import { ADMIN, call, uniqueSlug } from "../../helpers";
import { NORMAL, simulate } from "../../simulate";

const MINUTE = 60_000;

type RuleRequest = Parameters<ReturnType<typeof client>["v1"]["rules"]["$post"]>[0]["json"];

async function createRule(projectId: string, fields: Partial<RuleRequest> & { name: string }) {
  const res = await client(ADMIN).v1.rules.$post({
    query: { project: projectId },
    json: {
      metric: "error_rate",
      test: "static",
      threshold: 0.2,
      min_samples: 50,
      for_minutes: 0,
      window_minutes: 5,
      ...fields,
    },
  });
  return (await expectStatus(res, 201)).rule;
}

/** What each queued message said about `ruleId`: the evaluation minute and the item's kind. */
function sentFor(payloads: WebhookPayload[], ruleId: string) {
  return payloads.flatMap((p) =>
    p.notifications
      .filter((n) => n.rule_id === ruleId)
      .map((n) => ({
        at: Date.parse(p.evaluated_at),
        kind: n.status === "resolved" ? "resolved" : n.repeat ? "repeat" : "firing",
      })),
  );
}

describe("per-rule notification settings", () => {
  it("default to a 4-hour repeat and resolved messages, and reject out-of-range values", async () => {
    const sim = await simulate(uniqueSlug("notify-api"), () => NORMAL, 10);
    const rule = await createRule(sim.projectId, { name: "defaults" });
    expect(rule).toMatchObject({ repeat_interval_minutes: 240, send_resolved: true });
    // Raw requests: the client's types would refuse these bodies.
    for (const [field, value] of [
      ["repeat_interval_minutes", 0],
      ["repeat_interval_minutes", 7 * 24 * 60 + 1],
      ["repeat_interval_minutes", 1.5],
      ["send_resolved", "no"],
    ] as const) {
      const res = await call(`/v1/rules?project=${sim.projectId}`, {
        method: "POST",
        key: ADMIN,
        json: { name: "bad", metric: "error_rate", test: "static", threshold: 0.2, [field]: value },
      });
      expect(res.status, `${field} = ${value}`).toBe(400);
      expect(await res.text()).toContain(field);
    }
    const patched = await client(ADMIN).v1.rules[":id"].$patch({
      param: { id: rule.id },
      query: { project: sim.projectId },
      json: { repeat_interval_minutes: 30, send_resolved: false },
    });
    expect((await expectStatus(patched, 200)).rule).toMatchObject({
      repeat_interval_minutes: 30,
      send_resolved: false,
    });
  });

  it("repeat at the rule's interval and stay quiet on resolve when send_resolved is false", async () => {
    // Half the interactions fail from 45 to 16 minutes ago; 1 % before and after.
    const sim = await simulate(
      uniqueSlug("notify"),
      (ago) => (ago <= 45 && ago > 15 ? { ...NORMAL, errorRate: 0.5 } : NORMAL),
      20,
      5,
    );
    const channel = `ch_${sim.slug}`;
    await env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, secret, enabled, created_at) VALUES (?, ?, 'webhook', 'w', ?, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 1, ?)",
    )
      .bind(channel, sim.projectId, `${inject("receiverUrl")}/hook/${sim.slug}`, sim.now)
      .run();
    const quiet = await createRule(sim.projectId, {
      name: "quiet",
      channels: [channel],
      repeat_interval_minutes: 12,
      send_resolved: false,
    });
    const plain = await createRule(sim.projectId, { name: "plain", channels: [channel] });
    expect(quiet).toMatchObject({ repeat_interval_minutes: 12, send_resolved: false });

    const deployment = {
      id: sim.deploymentId,
      projectId: sim.projectId,
      environment: "production",
      slug: sim.slug,
      firstSeen: sim.now - 7 * 24 * 60 * MINUTE,
      lastSeen: sim.now,
    };
    // The window clears about 14 minutes ago; 8 minutes ago is well past the resolve.
    for (let ago = 47; ago >= 8; ago--) {
      await evaluateDeployment(env, deployment, sim.now - ago * MINUTE);
    }

    const incidents = await env.DB.prepare(
      "SELECT rule_id, status, firing_at, resolved_at FROM incidents WHERE deployment_id = ?",
    )
      .bind(sim.deploymentId)
      .all<{ rule_id: string; status: string; firing_at: number; resolved_at: number }>();
    const incidentOf = (ruleId: string) => {
      const found = incidents.results.find((i) => i.rule_id === ruleId);
      if (!found) throw new Error(`no incident for ${ruleId}`);
      return found;
    };
    const q = incidentOf(quiet.id);
    const p = incidentOf(plain.id);
    expect(q.status).toBe("resolved");
    // The same window and threshold: both fire and resolve together.
    expect([p.firing_at, p.resolved_at]).toEqual([q.firing_at, q.resolved_at]);
    const firingMinutes = (q.resolved_at - q.firing_at) / MINUTE;
    expect(firingMinutes).toBeGreaterThan(24);
    expect(firingMinutes).toBeLessThan(36);

    const rows = await env.DB.prepare(
      "SELECT payload FROM deliveries WHERE project_id = ? AND channel_id = ?",
    )
      .bind(sim.projectId, channel)
      .all<{ payload: string }>();
    const payloads = rows.results.map((r) => JSON.parse(r.payload) as WebhookPayload);
    const byTime = (a: { at: number }, b: { at: number }) => a.at - b.at;
    expect(sentFor(payloads, quiet.id).sort(byTime)).toEqual([
      { at: q.firing_at, kind: "firing" },
      { at: q.firing_at + 12 * MINUTE, kind: "repeat" },
      { at: q.firing_at + 24 * MINUTE, kind: "repeat" },
    ]);
    expect(sentFor(payloads, plain.id).sort(byTime)).toEqual([
      { at: p.firing_at, kind: "firing" },
      { at: p.resolved_at, kind: "resolved" },
    ]);
  }, 120_000);
});
