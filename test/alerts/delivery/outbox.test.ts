// The alert outbox (issue 9, defect 5): an incident's state change and its notification
// are stored in one batch, so a queue send that fails after the state change delays the
// alert to the next tick instead of losing it, and nothing is sent twice.
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { NotificationGroup } from "../../../src/alerts/delivery/notification-types";
import {
  OUTBOX_LEASE_MS,
  outboxInsert,
  outboxRow,
  sendOutbox,
} from "../../../src/alerts/delivery/outbox";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { stepIncident } from "../../../src/alerts/incidents/incident-machine";
import { latestIncidents, stateOf, stepWrites } from "../../../src/alerts/incidents/incident-store";
import { RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { runTick } from "../../../src/entrances/tick";
import { faultHooks } from "../../../src/fault-points";
import {
  alertingDeployment,
  deliveriesOf,
  ERROR_RULE_ID,
  firingIncidents,
  received,
} from "../../alert-fixture";
import { waitFor } from "../../helpers";

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Longer than the NOTIFICATIONS consumer's 1 s batch window plus a delivery. */
const QUIET_MS = 2_500;

afterEach(() => {
  delete faultHooks["notifications.send"];
});

describe("the alert outbox", () => {
  it("sends a firing alert once, and a drain or a re-evaluation sends nothing more", async () => {
    const a = await alertingDeployment("once");
    const summary = await evaluateDeployment(env, a.deployment, a.minute);
    expect(summary.notifications).toBe(1);
    expect(await firingIncidents(a.deployment.id)).toHaveLength(1);
    const got = await waitFor(
      () => received(a.hook),
      (r) => r.length > 0,
    );
    expect(got).toHaveLength(1);
    // Replays of the minute, the next minute (no repeat due) and a drain queue nothing.
    await evaluateDeployment(env, a.deployment, a.minute);
    await evaluateDeployment(env, a.deployment, a.minute + MINUTE);
    expect(await sendOutbox(env, Date.now())).toBe(0);
    await sleep(QUIET_MS);
    expect(await received(a.hook)).toHaveLength(1);
    const [delivery] = await deliveriesOf(a.projectId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(got[0]?.body).toBe(delivery?.payload);
  });

  it("writes an alert for every channel of a project with many channels", async () => {
    const a = await alertingDeployment("many");
    // 12 channels: one outbox row each, more than one insert's worth of D1 parameters.
    for (let i = 1; i < 12; i++) {
      await env.DB.prepare(
        "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 's', ?, 1, ?)",
      )
        .bind(
          `${a.channelId}_${i}`,
          a.projectId,
          `${inject("receiverUrl")}/hook/${a.hook}`,
          a.minute,
        )
        .run();
    }
    const summary = await evaluateDeployment(env, a.deployment, a.minute);
    expect(summary.notifications).toBe(12);
    expect(await firingIncidents(a.deployment.id)).toHaveLength(1);
    const got = await waitFor(
      () => received(a.hook),
      (r) => r.length >= 12,
    );
    expect(got).toHaveLength(12);
  });

  it("delivers an alert whose queue send failed after the state change on the next tick, exactly once", async () => {
    const a = await alertingDeployment("late");
    const refused: string[] = [];
    faultHooks["notifications.send"] = (ids) => {
      refused.push(ids);
      throw new Error("injected: queue send failed");
    };
    // The evaluation itself succeeds: the state and the notification are stored together.
    const summary = await evaluateDeployment(env, a.deployment, a.minute);
    expect(summary.notifications).toBe(1);
    const [incident] = await firingIncidents(a.deployment.id);
    expect(incident?.rule_id).toBe(ERROR_RULE_ID);
    const [waiting] = await deliveriesOf(a.projectId);
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, queued_at: null });
    expect(JSON.parse(waiting?.incident_ids ?? "[]")).toEqual([incident?.id]);
    expect(refused).toEqual([waiting?.id]);
    // A replay of the minute does not write it again, and nothing went out.
    await evaluateDeployment(env, a.deployment, a.minute);
    await sleep(QUIET_MS);
    expect(await received(a.hook)).toEqual([]);

    delete faultHooks["notifications.send"];
    await runTick(env, a.minute + MINUTE + 1_000);
    const got = await waitFor(
      () => received(a.hook),
      (r) => r.length > 0,
    );
    // The message rendered at the evaluation, unchanged.
    expect(got.map((r) => r.body)).toEqual([waiting?.payload]);
    const body = JSON.parse(got[0]?.body ?? "{}") as { blocks: { text?: { text: string } }[] };
    expect(JSON.stringify(body.blocks)).toContain("Error rate above 10 %");
    await runTick(env, a.minute + 2 * MINUTE + 1_000);
    await sleep(QUIET_MS);
    expect(await received(a.hook)).toHaveLength(1);
    expect((await deliveriesOf(a.projectId))[0]).toMatchObject({
      status: "delivered",
      attempts: 1,
    });
  });

  it("sends again a row whose sender died after claiming it, once its lease expired", async () => {
    const a = await alertingDeployment("lease");
    faultHooks["notifications.send"] = () => {
      throw new Error("injected: queue send failed");
    };
    await evaluateDeployment(env, a.deployment, a.minute);
    delete faultHooks["notifications.send"];
    const [row] = await deliveriesOf(a.projectId);
    // As a sender leaves it when it dies between the claim and the send.
    const claimedAt = Date.now() - MINUTE;
    await env.DB.prepare("UPDATE deliveries SET queued_at = ? WHERE id = ?")
      .bind(claimedAt, row?.id)
      .run();
    // Within the lease the row may still be on its way through the queue: not sent again.
    expect(await sendOutbox(env, Date.now())).toBe(0);
    expect(await sendOutbox(env, claimedAt + OUTBOX_LEASE_MS + 1)).toBe(1);
    const got = await waitFor(
      () => received(a.hook),
      (r) => r.length > 0,
    );
    expect(got).toHaveLength(1);
  });

  it("stores neither a step nor its notification when the incident changed since it was read", async () => {
    const a = await alertingDeployment("conflict");
    await evaluateDeployment(env, a.deployment, a.minute);
    const before = await latestIncidents(env.DB, a.deployment.id);
    const prev = before.get(ERROR_RULE_ID);
    // An ack lands between the evaluation's read and its write.
    await env.DB.prepare("UPDATE incidents SET acked_at = ?1, updated_at = ?1 WHERE id = ?2")
      .bind(Date.now() + 1, prev?.id)
      .run();
    const rule = RuleSchema.parse({
      id: ERROR_RULE_ID,
      name: "x",
      metric: "error_rate",
      test: "static",
      threshold: 0.1,
    });
    const step = stepIncident({
      previous: stateOf(prev),
      deployment_id: a.deployment.id,
      rule_id: ERROR_RULE_ID,
      outcome: "ok",
      minute: a.minute + MINUTE,
      for_minutes: 0,
      no_data: "ignore",
    });
    expect(step.transition).toEqual({ from: "firing", to: "resolved" });
    const d = drizzle(env.DB);
    const check = { rule_id: ERROR_RULE_ID } as never;
    const meta = { projectId: a.projectId, deploymentId: a.deployment.id, rule, check };
    const { statements } = stepWrites(d, meta, prev, step, Date.now());
    const channel = { id: a.channelId, type: "slack", projectId: a.projectId } as never;
    const group: NotificationGroup = {
      group_key: "conflict",
      deployment_id: a.deployment.id,
      environment: "production",
      slug: a.deployment.slug,
      evaluated_at: a.minute + MINUTE,
      status: "resolved",
      severity: "critical",
      items: [],
    };
    const outbox = outboxInsert(env.DB, outboxRow(a.projectId, group, channel, Date.now()));
    await expect(d.batch([...statements, outbox] as [typeof outbox])).rejects.toThrow();
    // Neither the resolve nor its notification was stored; the ack stands.
    expect(await deliveriesOf(a.projectId)).toHaveLength(1);
    const after = await latestIncidents(env.DB, a.deployment.id);
    expect(after.get(ERROR_RULE_ID)?.status).toBe("firing");
    expect(after.get(ERROR_RULE_ID)?.ackedAt).not.toBeNull();
  });
});
