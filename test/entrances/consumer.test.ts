// The TELEMETRY consumer called directly with crafted batches: redelivery, partial
// failures (orphaned claims), malformed messages, and the dead-letter queue.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import { packMessages } from "../../src/queue/enqueue";
import type { TelemetryMessage } from "../../src/queue/message-schema";
import { archivedEvents, createProject, uniqueSlug } from "../helpers";

const QUEUE = "driftwatch-telemetry-dev";

function message(projectId: string, slug: string, n: number, offset = 0): TelemetryMessage {
  const now = Date.now();
  const events: NormalizedEvent[] = Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${slug}-${offset + i}`,
    deployment: slug,
    environment: "production",
    ts: now - i * 1000,
    status: i % 10 === 0 ? "error" : "ok",
    latency_ms: 100 + i,
    model: i < n / 2 ? "gpt-4o" : "gpt-4o-mini",
  }));
  return { projectId, receivedAt: now, events };
}

/** The message as ingest sends it (one body when it fits in one). */
function body(m: TelemetryMessage) {
  const [only, ...more] = packMessages(m.projectId, m.receivedAt, m.events);
  if (!only || more.length > 0) throw new Error("expected one message");
  return only;
}

async function deliver(bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    QUEUE,
    bodies.map((body, i) => ({
      id: `m${i}-${crypto.randomUUID()}`,
      timestamp: Date.now(),
      attempts,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

async function windowCount(
  projectId: string,
  slug: string,
): Promise<{ count: number; error: number }> {
  const s = await env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`).snapshot({
    from: Date.now() - 3_600_000,
    to: Date.now() + 1,
  });
  return { count: s.summary.count, error: s.summary.status.error };
}

describe("telemetry consumer", () => {
  it("acknowledges a batch and counts each event once, even when redelivered", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const sent = body(message(p.id, slug, 120));
    const first = await deliver([sent]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(await windowCount(p.id, slug)).toEqual({ count: 120, error: 12 });
    const again = await deliver([sent, sent], 2);
    expect(again.explicitAcks).toHaveLength(2);
    expect(await windowCount(p.id, slug)).toEqual({ count: 120, error: 12 });
    expect(await archivedEvents(p.id)).toHaveLength(120);
  });

  it("decodes a batch of messages as ingest packs them", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    // 1,000 events need more than one 100 KB message.
    const plain = message(p.id, slug, 1000);
    const packed = packMessages(p.id, plain.receivedAt, plain.events);
    expect(packed.length).toBeGreaterThan(1);
    const result = await deliver(packed);
    expect(result.explicitAcks).toHaveLength(packed.length);
    expect(await windowCount(p.id, slug)).toEqual({ count: 1000, error: 100 });
  });

  it("dead-letters message versions nothing sends any more", async () => {
    const p = await createProject();
    const plain = message(p.id, uniqueSlug(), 4);
    const v1 = { v: 1, projectId: p.id, receivedAt: plain.receivedAt, events: plain.events };
    const result = await deliver([v1]);
    expect(result.explicitAcks).toHaveLength(1);
    const dead = await env.DB.prepare(
      "SELECT reason FROM dead_letters WHERE body LIKE ? ORDER BY id DESC",
    )
      .bind(`%${p.id}%`)
      .first<{ reason: string }>();
    expect(dead?.reason).toContain("invalid message");
  });

  it("records the deployment and its release markers with totals a redelivery leaves as they are", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const sent = body(message(p.id, slug, 10));
    const markers = async () =>
      (
        await env.DB.prepare(
          "SELECT model, event_count FROM releases WHERE deployment_id = ? ORDER BY model",
        )
          .bind(`${p.id}:production:${slug}`)
          .all<{ model: string; event_count: number }>()
      ).results;
    await deliver([sent]);
    const expected = [
      { model: "gpt-4o", event_count: 5 },
      { model: "gpt-4o-mini", event_count: 5 },
    ];
    expect(await markers()).toEqual(expected);
    await deliver([sent], 2);
    expect(await markers()).toEqual(expected);
    // More events of one combination raise its total.
    await deliver([body(message(p.id, slug, 4, 100))]);
    expect(await markers()).toEqual([
      { model: "gpt-4o", event_count: 7 },
      { model: "gpt-4o-mini", event_count: 7 },
    ]);
    const deployment = await env.DB.prepare(
      "SELECT first_seen, last_seen FROM deployments WHERE id = ?",
    )
      .bind(`${p.id}:production:${slug}`)
      .first<{ first_seen: number; last_seen: number }>();
    expect(deployment?.last_seen).toBeGreaterThan(deployment?.first_seen ?? 0);
  });

  it("dead-letters a malformed message at once and keeps the good ones", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const result = await deliver([{ v: 3, nonsense: true }, body(message(p.id, slug, 5))]);
    expect(result.explicitAcks).toHaveLength(2);
    expect((await windowCount(p.id, slug)).count).toBe(5);
    const dead = await env.DB.prepare(
      "SELECT reason FROM dead_letters WHERE body LIKE '%nonsense%'",
    ).first<{ reason: string }>();
    expect(dead?.reason).toContain("invalid message");
  });

  it("dead-letters a v3 message whose events text is not a JSON array of events", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const [good] = packMessages(p.id, Date.now(), message(p.id, slug, 6).events);
    const broken = { v: 3, projectId: p.id, receivedAt: Date.now(), count: 2, events: "[{oops" };
    const unroutable = { ...broken, events: '[{"id":"x"}]', count: 1 };
    const result = await deliver([broken, good, unroutable]);
    expect(result.explicitAcks).toHaveLength(3);
    expect((await windowCount(p.id, slug)).count).toBe(6);
    const { results } = await env.DB.prepare(
      "SELECT reason FROM dead_letters WHERE body LIKE ? ORDER BY id",
    )
      .bind(`%${p.id}%`)
      .all<{ reason: string }>();
    expect(results.map((r) => r.reason)).toEqual([
      expect.stringContaining("undecodable events"),
      expect.stringContaining("events.0: missing id, type, deployment, environment or ts"),
    ]);
  });

  it("records every message of the dead-letter queue with its event count", async () => {
    const p = await createProject();
    const plain = message(p.id, uniqueSlug(), 7);
    // As ingest sends it (v3).
    const [body] = packMessages(p.id, plain.receivedAt, plain.events);
    const batch = createMessageBatch("driftwatch-telemetry-dlq-dev", [
      { id: `dlq-${crypto.randomUUID()}`, timestamp: Date.now(), attempts: 1, body },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
    const row = await env.DB.prepare(
      "SELECT event_count, reason FROM dead_letters WHERE message_id = ?",
    )
      .bind(batch.messages[0]?.id)
      .first<{ event_count: number; reason: string }>();
    expect(row).toEqual({ event_count: 7, reason: "retries exhausted on the main queue" });
    const stored = await env.DB.prepare("SELECT body FROM dead_letters WHERE message_id = ?")
      .bind(batch.messages[0]?.id)
      .first<{ body: string }>();
    expect(JSON.parse(stored?.body ?? "{}").events).toHaveLength(7);
  });
});
