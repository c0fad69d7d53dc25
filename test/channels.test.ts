// Channels API and alert delivery through the NOTIFICATIONS queue to a real local
// HTTP receiver (test/receiver.global.ts): backoff, DLQ, signatures, masking.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { verifyWebhook } from "../src/alerts/delivery/webhook-sign";
import { call, createProject, waitFor } from "./helpers";

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

async function createChannel(key: string, body: Record<string, unknown>) {
  const res = await call("/v1/channels", { method: "POST", key, json: body });
  return {
    status: res.status,
    body: (await res.json()) as { channel: { id: string; url: string; secret: string | null } },
  };
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
    expect(slack.status).toBe(201);
    expect(slack.body.channel.url).toBe("https://hooks.slack.com/services/T0001/B0001/****uvwx");
    const hook = await createChannel(p.admin, {
      type: "webhook",
      name: "ops",
      url: "https://example.com/hook/secret-path",
    });
    expect(hook.body.channel.secret).toMatch(/^whsec_/);
    const list = await (await call("/v1/channels", { key: p.read })).text();
    expect(list).not.toContain("abcdefghijklmnopqrstuvwx");
    expect(list).not.toContain(hook.body.channel.secret ?? "none");
    expect(list).not.toContain("secret-path");
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE project_id = ?")
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
    const body = (await bad.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues.map((i) => i.path)).toEqual(["type", "url"]);
    expect((await call("/v1/channels", { method: "POST", key: p.read, json: {} })).status).toBe(
      403,
    );
    expect((await call("/v1/channels/ch_nope", { key: p.read })).status).toBe(404);
  });

  it("delivers exactly one Slack message after a 429 and a 500, with backoff", async () => {
    const p = await createProject();
    const name = hookName();
    await script(name, [
      { status: 429, headers: { "retry-after": "1" } },
      { status: 500 },
      { status: 200 },
    ]);
    const { body } = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    const res = await call(`/v1/channels/${body.channel.id}/test`, {
      method: "POST",
      key: p.admin,
    });
    expect(res.status).toBe(202);
    const { delivery_id } = (await res.json()) as { delivery_id: string };
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
    const { body } = await createChannel(p.admin, {
      type: "webhook",
      name: "w",
      url: `${receiver}/hook/${name}`,
    });
    await call(`/v1/channels/${body.channel.id}/test`, { method: "POST", key: p.admin });
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
    const { body } = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    await call(`/v1/channels/${body.channel.id}/test`, { method: "POST", key: p.admin });
    const channel = async () =>
      (
        (await (await call(`/v1/channels/${body.channel.id}`, { key: p.read })).json()) as {
          channel: { enabled: boolean; disabled_reason: string | null };
        }
      ).channel;
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
    const { body } = await createChannel(p.admin, {
      type: "slack",
      name: "s",
      url: `${receiver}/hook/${name}`,
    });
    const res = await call(`/v1/channels/${body.channel.id}/test`, {
      method: "POST",
      key: p.admin,
    });
    const { delivery_id } = (await res.json()) as { delivery_id: string };
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
