// The TELEMETRY consumer called directly with crafted batches: redelivery, partial
// failures (orphaned claims), malformed messages, and the dead-letter queue.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { packMessages, type TelemetryMessage } from "../src/ingest/enqueue";
import type { NormalizedEvent } from "../src/ingest/normalized";
import { encodeBucket } from "../src/monitor/bucket";
import { aggregateByDeployment } from "../src/queue/aggregate";
import {
  eventsOfClaim,
  insertStatement,
  newClaimToken,
  openClaimStatement,
} from "../src/queue/claims";
import { runTick } from "../src/tick";
import { createProject, storedEventCount, uniqueSlug } from "./helpers";

const QUEUE = "driftwatch-telemetry-dev";

function message(
  projectId: string,
  slug: string,
  n: number,
  offset = 0,
): TelemetryMessage & { v: 1 } {
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
  return { v: 1, projectId, receivedAt: now, events };
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
    const body = message(p.id, slug, 120);
    const first = await deliver([body]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(await windowCount(p.id, slug)).toEqual({ count: 120, error: 12 });
    const again = await deliver([body, body], 2);
    expect(again.explicitAcks).toHaveLength(2);
    expect(await windowCount(p.id, slug)).toEqual({ count: 120, error: 12 });
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE project_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(120);
  });

  it("decodes JSON-text (v3) messages as ingest sends them", async () => {
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

  it("still decodes deflated (v2) messages sent before v3", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const plain = message(p.id, slug, 40);
    const stream = new Blob([JSON.stringify(plain.events)])
      .stream()
      .pipeThrough(new CompressionStream("deflate-raw"));
    const deflated = new Uint8Array(await new Response(stream).arrayBuffer());
    const v2 = { v: 2, projectId: p.id, receivedAt: plain.receivedAt, count: 40, deflated };
    const result = await deliver([v2]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await windowCount(p.id, slug)).toEqual({ count: 40, error: 4 });
  });

  it("records release markers for new model combinations", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    await deliver([message(p.id, slug, 10)]);
    const { results } = await env.DB.prepare(
      "SELECT model, event_count FROM releases WHERE deployment_id = ? ORDER BY model",
    )
      .bind(`${p.id}:production:${slug}`)
      .all<{ model: string; event_count: number }>();
    expect(results).toEqual([
      { model: "gpt-4o", event_count: 5 },
      { model: "gpt-4o-mini", event_count: 5 },
    ]);
  });

  it("finishes a claim left behind by a failed attempt without counting twice", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const body = message(p.id, slug, 40);
    // An attempt stored the events under its claim and even reached the Durable Object,
    // then died before closing the claim.
    const token = newClaimToken();
    await env.DB.batch([
      openClaimStatement(env.DB, token, Date.now()),
      insertStatement(env.DB, body, token),
    ]);
    const claimed = await eventsOfClaim(env.DB, token);
    expect(claimed).toHaveLength(40);
    const [group] = aggregateByDeployment(claimed);
    if (!group) throw new Error("no group");
    await env.DEPLOYMENT_MONITOR.getByName(group.deploymentId).apply({
      deploymentId: group.deploymentId,
      token: String(token),
      buckets: group.buckets.map(({ start, bucket }) => ({ start, data: encodeBucket(bucket) })),
    });
    expect((await windowCount(p.id, slug)).count).toBe(40);
    // The redelivery finds the unfinished claim and completes it exactly once.
    const result = await deliver([body], 2);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await windowCount(p.id, slug)).count).toBe(40);
    const open = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE token = ?")
      .bind(token)
      .first<{ n: number }>();
    expect(open?.n).toBe(0);
    expect(await storedEventCount(p.id)).toBe(40);
  });

  it("lets the cron sweeper finish claims whose batch never came back", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const body = message(p.id, slug, 25);
    const token = newClaimToken(Date.now() - 10 * 60_000);
    await env.DB.batch([
      openClaimStatement(env.DB, token, Date.now() - 10 * 60_000),
      insertStatement(env.DB, body, token),
    ]);
    expect(await storedEventCount(p.id)).toBe(0);
    await runTick(env, Date.now());
    expect((await windowCount(p.id, slug)).count).toBe(25);
    expect(await storedEventCount(p.id)).toBe(25);
  });

  it("dead-letters a malformed message at once and keeps the good ones", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const result = await deliver([{ v: 1, nonsense: true }, message(p.id, slug, 5)]);
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
