// Channels API and alert delivery through the NOTIFICATIONS queue to a real local
// HTTP receiver (test/receiver.global.ts): backoff, DLQ, signatures, masking.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { verifyWebhook } from "../../../src/alerts/delivery/webhook-sign";
import { client, expectStatus, issuePath } from "../../client";
import { call, createProject, waitFor } from "../../helpers";

const receiver = inject("receiverUrl");
let seq = 0;
const hookName = () => `h${Date.now().toString(36)}${seq++}`;

interface Received {
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

async function script(
  name: string,
  responses: { status: number; headers?: Record<string, string> }[],
) {
  await fetch(`${receiver}/__script/${name}`, {
    method: "POST",
    body: JSON.stringify({ responses }),
  });
}
const received = async (name: string) =>
  (await (await fetch(`${receiver}/__received/${name}`)).json()) as Received[];

type ChannelRequest = Parameters<ReturnType<typeof client>["v1"]["channels"]["$post"]>[0]["json"];

const channelsOf = (key: string) => client(key).v1.channels;

/** Creates a channel and answers its body (the create response: secret in full). */
async function createChannel(key: string, json: ChannelRequest) {
  return expectStatus(await channelsOf(key).$post({ query: {}, json }), 201);
}

/** Queues a test notification through the channel: its delivery id. */
async function testDelivery(key: string, id: string) {
  const res = await channelsOf(key)[":id"].test.$post({ param: { id }, query: {} });
  return (await expectStatus(res, 202)).delivery_id;
}

async function delivery(id: string) {
  return env.DB.prepare("SELECT status, attempts, last_status_code FROM deliveries WHERE id = ?")
    .bind(id)
    .first<{ status: string; attempts: number; last_status_code: number | null }>();
}

describe("channels", () => {
  it("creates channels, masks secrets in every later response, and audits the change", async () => {
    const p = await createProject();
    const slack = await createChannel(p.admin, {
      type: "slack",
      name: "alerts",
      url: "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx",
    });
    expect(slack.channel.url).toBe("https://hooks.slack.com/services/T0001/B0001/****uvwx");
    expect(slack.channel.secret).toBeNull();
    const hook = await createChannel(p.admin, {
      type: "webhook",
      name: "ops",
      url: "https://example.com/hook/secret-path",
    });
    expect(hook.channel.secret).toMatch(/^whsec_/);
    const res = await channelsOf(p.read).$get({ query: {} });
    const list = JSON.stringify(await expectStatus(res, 200));
    expect(list).not.toContain("abcdefghijklmnopqrstuvwx");
    expect(list).not.toContain(hook.channel.secret ?? "none");
    expect(list).not.toContain("secret-path");
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE project_id = ? AND target LIKE 'ch_%' ORDER BY id",
    )
      .bind(p.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["channel.create", "channel.create"]);
  });

  it("rejects invalid channels naming the field, and needs the admin scope", async () => {
    const p = await createProject();
    const bad = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "pager", name: "x", url: "ftp://x" },
    });
    expect(bad.status).toBe(400);
    const body = (await expectStatus(bad, 400)) as {
      error: { details: { issues: { path: string }[] } };
    };
    expect(body.error.details.issues.map((i) => i.path)).toEqual(["type", "url"]);
    const readOnly = await channelsOf(p.read).$post({
      query: {},
      json: { type: "slack", name: "x", url: "https://hooks.slack.com/services/T/B/x" },
    });
    expect(readOnly.status).toBe(403);
    const missing = await channelsOf(p.read)[":id"].$get({ param: { id: "ch_nope" }, query: {} });
    expect(missing.status).toBe(404);
    const badId = await channelsOf(p.read)[":id"].$get({ param: { id: "no such id" }, query: {} });
    expect(issuePath(await expectStatus(badId, 400))).toBe("id");
  });

  it("delivers exactly one Slack message after a 429 and a 500, with backoff", async () => {
    const p = await createProject();
    const name = hookName();
    await script(name, [
      { status: 429, headers: { "retry-after": "1" } },
      { status: 500 },
      { status: 200 },
    ]);
    const body = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    const delivery_id = await testDelivery(p.admin, body.channel.id);
    const final = await waitFor(
      () => delivery(delivery_id),
      (d) => d?.status === "delivered",
      30_000,
    );
    expect(final).toMatchObject({ status: "delivered", attempts: 3, last_status_code: 200 });
    const got = await received(name);
    expect(got).toHaveLength(3);
    // The first retry waited for Retry-After (1 s); the second backed off (≥ 1 s).
    expect((got[1]?.at ?? 0) - (got[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect((got[2]?.at ?? 0) - (got[1]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    const message = JSON.parse(got[2]?.body ?? "{}") as {
      blocks: { type: string; text?: { text: string } }[];
    };
    expect(message.blocks[0]?.type).toBe("header");
    expect(message.blocks[0]?.text?.text).toContain("support-bot");
  });

  it("signs generic webhooks per Standard Webhooks", async () => {
    const p = await createProject();
    const name = hookName();
    const body = await createChannel(p.admin, {
      type: "webhook",
      name: "w",
      url: `${receiver}/hook/${name}`,
    });
    await testDelivery(p.admin, body.channel.id);
    const [got] = await waitFor(
      () => received(name),
      (r) => r.length > 0,
    );
    if (!got) throw new Error("nothing received");
    expect(got.headers["webhook-id"]).toMatch(/^msg_/);
    const verdict = await verifyWebhook(body.channel.secret ?? "", got.headers, got.body);
    expect(verdict).toEqual({ ok: true });
    expect(JSON.parse(got.body)).toMatchObject({ type: "driftwatch.alert.v1", status: "firing" });
  });

  it("disables a channel whose endpoint answers 410 Gone", async () => {
    const p = await createProject();
    const name = hookName();
    await script(name, [{ status: 410 }]);
    const body = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    await testDelivery(p.admin, body.channel.id);
    const channel = async () => {
      const res = await channelsOf(p.read)[":id"].$get({
        param: { id: body.channel.id },
        query: {},
      });
      return (await expectStatus(res, 200)).channel;
    };
    const ch = await waitFor(channel, (c) => !c.enabled);
    expect(ch.disabled_reason).toContain("410");
  });

  it("leaves an undeliverable notification in the DLQ and the delivery log, counted", async () => {
    const p = await createProject();
    const name = hookName();
    await script(
      name,
      Array.from({ length: 20 }, () => ({ status: 503, headers: { "retry-after": "0" } })),
    );
    const body = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    const delivery_id = await testDelivery(p.admin, body.channel.id);
    const final = await waitFor(
      () => delivery(delivery_id),
      (d) => d?.status === "dead_letter",
      60_000,
    );
    expect(final?.status).toBe("dead_letter");
    expect(final?.attempts).toBe(8);
    expect(await received(name)).toHaveLength(8);
    const dead = await env.DB.prepare(
      "SELECT count(*) AS n FROM dead_letters WHERE instr(body, ?) > 0",
    )
      .bind(delivery_id)
      .first<{ n: number }>();
    expect(dead?.n).toBe(1);
  });
});
