// Where alerts may go and how they are sent (issue 9, defect 7): outside development
// only https to public hosts, checked when a channel is saved and again at send time;
// redirects are not followed, a slow receiver is cut off at the timeout, and one slow
// receiver does not hold up the rest of a batch.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { deliver } from "../../../src/alerts/delivery/dispatch";
import { outboxInsert, outboxRow } from "../../../src/alerts/delivery/outbox";
import { sampleGroup } from "../../../src/alerts/delivery/sample-notification";
import { app } from "../../../src/app";
import type { channelsTable } from "../../../src/db/schema";
import worker from "../../../src/index";
import { received } from "../../alert-fixture";
import { BASE, call, createProject, waitFor } from "../../helpers";

const receiver = inject("receiverUrl");
const production = {
  ...env,
  ENVIRONMENT: "production",
  PUBLIC_URL: "https://driftwatch.acme.dev",
} as Env;
let seq = 0;
const hookName = () => `d${Date.now().toString(36)}${seq++}`;

async function script(
  name: string,
  responses: { status: number; headers?: Record<string, string>; delay_ms?: number }[],
) {
  await fetch(`${receiver}/__script/${name}`, {
    method: "POST",
    body: JSON.stringify({ responses }),
  });
}

/** A request to the app as deployed in production. */
function callProduction(path: string, key: string, method: string, json: unknown) {
  const request = new Request(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  return app.fetch(request, production, createExecutionContext());
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { issues: { path: string; message: string }[] };
  };
}

async function delivery(id: string) {
  return env.DB.prepare(
    "SELECT status, attempts, last_status_code, last_error FROM deliveries WHERE id = ?",
  )
    .bind(id)
    .first<{
      status: string;
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
    }>();
}

type ChannelRow = typeof channelsTable.$inferSelect;

/** A channel row and one outbox row for it, not queued. */
async function pendingDelivery(projectId: string, url: string): Promise<string> {
  const channel: ChannelRow = {
    id: `ch_${hookName()}`,
    projectId,
    type: "slack",
    name: "s",
    url,
    secret: null,
    enabled: true,
    disabledReason: null,
    createdAt: Date.now(),
  };
  await env.DB.prepare(
    "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 's', ?, 1, ?)",
  )
    .bind(channel.id, projectId, url, channel.createdAt)
    .run();
  const now = Date.now();
  const row = outboxRow(
    projectId,
    sampleGroup(channel, "https://driftwatch.acme.dev", now),
    channel,
    now,
  );
  await outboxInsert(env.DB, row);
  return row.id ?? "";
}

describe("channel targets outside development", () => {
  const refused: [url: string, message: RegExp][] = [
    ["http://hooks.example.org/alerts", /^must be an https URL$/],
    ["https://169.254.169.254/latest/meta-data/", /link-local address \(169\.254\.0\.0\/16/],
    ["https://10.0.0.8/hook", /private address \(10\.0\.0\.0\/8\)/],
    ["https://[::ffff:192.168.0.1]/hook", /private address \(192\.168\.0\.0\/16\), IPv4-mapped/],
    ["https://[fe80::1]/hook", /link-local address \(fe80::\/10\)/],
    ["https://localhost/hook", /local host name \(localhost\)/],
    ["https://metadata.google.internal/x", /\.internal/],
    ["https://driftwatch.acme.dev/v1/events", /^must not point at this service/],
  ];

  it.each(refused)("refuses %s with a 400 naming url", async (url, message) => {
    const p = await createProject();
    const res = await callProduction("/v1/channels", p.admin, "POST", {
      type: "webhook",
      name: "w",
      url,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details?.issues).toHaveLength(1);
    expect(body.error.details?.issues[0]?.path).toBe("url");
    expect(body.error.details?.issues[0]?.message).toMatch(message);
    expect(body.error.message).toMatch(/^Invalid request body: url: /);
  });

  it("accepts https to a public host, and refuses a PATCH to a private one, keeping the old URL", async () => {
    const p = await createProject();
    const url = "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnopqrstuvwx";
    const created = await callProduction("/v1/channels", p.admin, "POST", {
      type: "slack",
      name: "s",
      url,
    });
    expect(created.status).toBe(201);
    const { channel } = (await created.json()) as { channel: { id: string } };
    const patch = await callProduction(`/v1/channels/${channel.id}`, p.admin, "PATCH", {
      url: "https://192.168.1.1/hook",
    });
    expect(patch.status).toBe(400);
    const stored = await env.DB.prepare("SELECT url FROM channels WHERE id = ?")
      .bind(channel.id)
      .first<{ url: string }>();
    expect(stored?.url).toBe(url);
  });

  it("fails a stored delivery to a refused target at send time, without sending", async () => {
    const p = await createProject();
    const name = hookName();
    const id = await pendingDelivery(p.id, `${receiver}/hook/${name}`);
    const decision = await deliver(production, id, 1);
    expect(decision).toMatchObject({ action: "permanent_failure" });
    expect(await delivery(id)).toMatchObject({
      status: "failed",
      last_error: "channel url refused: must be an https URL",
    });
    expect(await received(name)).toEqual([]);
  });
});

describe("delivery", () => {
  it("does not follow a redirect: a 3xx is a failed delivery with the reason", async () => {
    const p = await createProject();
    const [from, to] = [hookName(), hookName()];
    await script(from, [{ status: 302, headers: { location: `${receiver}/hook/${to}` } }]);
    const res = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "webhook", name: "w", url: `${receiver}/hook/${from}` },
    });
    const { channel } = (await res.json()) as { channel: { id: string } };
    const sent = await call(`/v1/channels/${channel.id}/test`, { method: "POST", key: p.admin });
    const { delivery_id } = (await sent.json()) as { delivery_id: string };
    const final = await waitFor(
      () => delivery(delivery_id),
      (d) => d?.status === "failed",
    );
    expect(final).toMatchObject({ status: "failed", attempts: 1, last_status_code: 302 });
    expect(final?.last_error).toBe(
      `HTTP 302 redirect to ${new URL(receiver).origin} not followed: point the channel at the final URL`,
    );
    expect(await received(from)).toHaveLength(1);
    expect(await received(to)).toEqual([]);
  });

  it("cuts a receiver off at the timeout and retries it", async () => {
    const p = await createProject();
    const name = hookName();
    await script(name, [{ status: 200, delay_ms: 5_000 }, { status: 200 }]);
    const id = await pendingDelivery(p.id, `${receiver}/hook/${name}`);
    const started = Date.now();
    const decision = await deliver(env, id, 1, 1);
    // DELIVERY_TIMEOUT_SECONDS is 2 in tests (10 by default).
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(decision).toMatchObject({ action: "retry", reason: "timeout" });
    expect(await delivery(id)).toMatchObject({
      status: "retrying",
      last_error: "no answer within 2 s",
    });
    expect(await deliver(env, id, 2, 1)).toMatchObject({ action: "done" });
    expect(await delivery(id)).toMatchObject({
      status: "delivered",
      attempts: 2,
      last_error: null,
    });
  });

  it("delivers a batch's messages concurrently: a slow receiver does not hold the others", async () => {
    const p = await createProject();
    const slow = hookName();
    await script(slow, [{ status: 200, delay_ms: 5_000 }]);
    const fast = [hookName(), hookName(), hookName()];
    const ids = [];
    for (const name of [slow, ...fast])
      ids.push(await pendingDelivery(p.id, `${receiver}/hook/${name}`));
    const batch = createMessageBatch(
      "driftwatch-notifications-dev",
      ids.map((deliveryId, i) => ({
        id: `n${i}-${crypto.randomUUID()}`,
        timestamp: new Date(),
        attempts: 1,
        body: { deliveryId },
      })),
    );
    const ctx = createExecutionContext();
    const started = Date.now();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    const elapsed = Date.now() - started;
    for (const name of fast) {
      const [got] = await received(name);
      // Sent at once, not after the slow receiver's 2 s timeout.
      expect((got?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(1_500);
    }
    expect(elapsed).toBeLessThan(4_000);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toHaveLength(1);
    expect(await delivery(ids[0] ?? "")).toMatchObject({
      status: "retrying",
      last_error: "no answer within 2 s",
    });
  });
});
