// One change, one incident in notifications: two rules that fire for the same change in
// different minutes reach Slack and webhooks as one incident with two signals, through the
// real outbox, queue and receiver (issue 22, item 5).
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { SlackMessage } from "../../../src/alerts/delivery/slack";
import type { WebhookPayload } from "../../../src/alerts/delivery/webhook-payload";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { alertingDeployment, ERROR_RULE_ID, received } from "../../alert-fixture";
import { waitFor } from "../../helpers";

const MINUTE = 60_000;

async function setRule(projectId: string, definition: unknown, at: number) {
  const rule = RuleSchema.parse(definition);
  await env.DB.prepare(
    `INSERT INTO rules (id, project_id, definition, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
     ON CONFLICT DO UPDATE SET definition = ?3, updated_at = ?4`,
  )
    .bind(rule.id, projectId, JSON.stringify(rule), at)
    .run();
}

const TEN = {
  id: ERROR_RULE_ID,
  name: "Error rate above 10 %",
  metric: "error_rate",
  test: "static",
  threshold: 0.1,
  min_samples: 20,
  for_minutes: 0,
  severity: "critical",
};
const THIRTY = {
  id: "errors-thirty",
  name: "Error rate above 30 %",
  metric: "error_rate",
  test: "static",
  threshold: 0.3,
  min_samples: 20,
  for_minutes: 1,
  severity: "warning",
};

describe("signals of one change in notifications", () => {
  it("announces a later signal as 1 more signal of the first incident and says resolved once, when the last signal resolves", async () => {
    const d = await alertingDeployment("change-signals");
    const webhookHook = `${d.hook}-webhook`;
    await env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'webhook', 'bridge', ?, 1, ?)",
    )
      .bind(
        `${d.channelId}-webhook`,
        d.projectId,
        `${inject("receiverUrl")}/hook/${webhookHook}`,
        d.minute,
      )
      .run();
    await setRule(d.projectId, THIRTY, d.minute);

    const step = async (n: number) => {
      await evaluateDeployment(env, d.deployment, d.minute + n * MINUTE);
      const slack = await waitFor(
        () => received(d.hook),
        (r) => r.length >= n + 1,
      );
      const hooks = await waitFor(
        () => received(webhookHook),
        (r) => r.length >= n + 1,
      );
      return {
        slack: JSON.parse(slack[n]?.body ?? "{}") as SlackMessage,
        webhook: JSON.parse(hooks[n]?.body ?? "{}") as WebhookPayload,
      };
    };
    const header = (m: SlackMessage) => {
      const [first] = m.blocks;
      return first?.type === "header" ? first.text.text : "";
    };
    const where = `${d.deployment.slug} (production)`;

    // Minute 0: the 10 % rule fires; the 30 % rule is pending.
    const first = await step(0);
    expect(header(first.slack)).toBe(`🔴 CRITICAL · ${where}`);
    const [ten] = first.webhook.notifications;
    const groupId = ten?.incident_id ?? "";
    expect(ten?.group_id).toBe(groupId);
    expect(ten?.group).toEqual({
      title: "Error rate above 10 %",
      signals: ["Error rate above 10 %"],
      more: false,
      open: true,
    });

    // Minute 1: the 30 % rule fires: another signal of the same incident, not a new one.
    const second = await step(1);
    expect(header(second.slack)).toBe(`🟠 1 more signal of Error rate above 10 % · ${where}`);
    expect(second.slack.text).not.toContain("WARNING");
    const [thirty] = second.webhook.notifications;
    expect(thirty?.rule_name).toBe("Error rate above 30 %");
    expect(thirty?.incident_id).not.toBe(groupId);
    expect(thirty?.group_id).toBe(groupId);
    expect(thirty?.group).toEqual({
      title: "Error rate above 10 %",
      signals: ["Error rate above 10 %", "Error rate above 30 %"],
      more: true,
      open: true,
    });

    // Minute 2: the 10 % rule resolves while the 30 % rule still fires: not "resolved".
    await setRule(d.projectId, { ...TEN, threshold: 0.9 }, d.minute + 2 * MINUTE);
    const third = await step(2);
    expect(header(third.slack)).toBe(
      `↘️ 1 signal back to normal · Error rate above 30 % still firing · ${where}`,
    );
    expect(third.slack.text).not.toContain("RESOLVED");
    expect(third.webhook.notifications[0]).toMatchObject({
      status: "resolved",
      group_id: groupId,
      group: { signals: ["Error rate above 30 %"], open: true },
    });

    // Minute 3: the last signal resolves: the incident is over, said once.
    await setRule(d.projectId, { ...THIRTY, threshold: 0.9 }, d.minute + 3 * MINUTE);
    const fourth = await step(3);
    expect(header(fourth.slack)).toBe(`✅ RESOLVED · ${where}`);
    expect(fourth.webhook.notifications[0]).toMatchObject({
      status: "resolved",
      group_id: groupId,
      group: { signals: [], open: false },
    });
    expect(await received(d.hook)).toHaveLength(4);
  }, 90_000);
});
