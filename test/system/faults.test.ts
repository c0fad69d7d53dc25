// Fault injection (issue 9, "prove it stays fixed"): real D1, Queues and Durable Objects,
// with failures injected at named points (src/fault-points.ts) that only tests set. After
// the retries the platform would make: counts exact (nothing lost, nothing counted
// twice), no alert lost or sent twice, other deployments and tenants unaffected.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { outboxInsert, outboxRow, sendOutbox } from "../../src/alerts/delivery/outbox";
import { sampleGroup } from "../../src/alerts/delivery/sample-notification";
import { evaluateDeployment } from "../../src/alerts/evaluation/evaluate-deployment";
import type { channelsTable } from "../../src/db/schema";
import { runTick } from "../../src/entrances/tick";
import { type FaultPoint, faultHooks } from "../../src/fault-points";
import worker from "../../src/index";
import type { NormalizedEvent } from "../../src/ingest/normalized";
import { packMessages } from "../../src/queue/enqueue";
import {
  alertingDeployment,
  deliveriesOf,
  ERROR_RULE_ID,
  firingIncidents,
  received,
} from "../alert-fixture";
import { archivedEvents, createProject, storedEventCount, uniqueSlug, waitFor } from "../helpers";

const MINUTE = 60_000;
const receiverUrl = inject("receiverUrl");
const QUEUE = "driftwatch-telemetry-dev";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  for (const point of Object.keys(faultHooks) as FaultPoint[]) delete faultHooks[point];
});

/** Fails `point` for details matching `which`, `times` times, then lets it pass. */
function failAt(point: FaultPoint, which: (detail: string) => boolean, times = 1): string[] {
  const hits: string[] = [];
  faultHooks[point] = (detail) => {
    if (!which(detail) || hits.length >= times) return;
    hits.push(detail);
    throw new Error(`injected fault at ${point} (${detail})`);
  };
  return hits;
}

function telemetry(projectId: string, slug: string, n: number) {
  const now = Date.now();
  const events: NormalizedEvent[] = Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${slug}-${i}`,
    deployment: slug,
    environment: "production",
    ts: now - i * 1000,
    status: i % 4 === 0 ? "error" : "ok",
  }));
  const [body] = packMessages(projectId, now, events);
  return body;
}

/** Hands the bodies to the TELEMETRY consumer as the queue would (attempt `attempts`). */
async function consume(bodies: unknown[], attempts: number) {
  const ids = bodies.map(() => crypto.randomUUID());
  const batch = createMessageBatch(
    QUEUE,
    bodies.map((body, i) => ({ id: ids[i] ?? "", timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  const retried = new Set(result.retryMessages.map((m) => m.msgId));
  return { result, retried: bodies.filter((_, i) => retried.has(ids[i] ?? "")) };
}

/** Delivers like the queue: retried messages come back with attempts + 1 until acked. */
async function consumeUntilAcked(bodies: unknown[], maxAttempts = 5): Promise<number> {
  let pending = bodies;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    pending = (await consume(pending, attempt)).retried;
    if (pending.length === 0) return attempt;
  }
  throw new Error("still retrying");
}

async function windowCounts(projectId: string, slug: string) {
  const s = await env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`).snapshot({
    from: Date.now() - 3_600_000,
    to: Date.now() + 1,
  });
  return { count: s.summary.count, error: s.summary.status.error };
}

/** Two tenants: A with two deployments, B with one; 40 events each (10 errors). */
async function tenants() {
  const [a, b] = [await createProject("tenant-a"), await createProject("tenant-b")];
  const slugs = { a1: uniqueSlug("a1"), a2: uniqueSlug("a2"), b1: uniqueSlug("b1") };
  const bodies = [
    telemetry(a.id, slugs.a1, 40),
    telemetry(a.id, slugs.a2, 40),
    telemetry(b.id, slugs.b1, 40),
  ];
  /** Counted and archived once each; `more` says a deployment received more (ids overlap). */
  const expectExact = async (more: { a1?: number } = {}) => {
    const a1 = more.a1 ?? 40;
    for (const [project, slug, n] of [
      [a.id, slugs.a1, a1],
      [a.id, slugs.a2, 40],
      [b.id, slugs.b1, 40],
    ] as const) {
      expect(await windowCounts(project, slug), slug).toEqual({
        count: n,
        error: Math.ceil(n / 4),
      });
    }
    expect(await storedEventCount(a.id)).toBe(a1 + 40);
    expect(await storedEventCount(b.id)).toBe(40);
  };
  return { a, b, slugs, bodies, expectExact };
}

async function releaseTotals(projectId: string) {
  const { results } = await env.DB.prepare(
    "SELECT deployment_id, event_count FROM releases WHERE deployment_id LIKE ? ORDER BY deployment_id",
  )
    .bind(`${projectId}:%`)
    .all<{ deployment_id: string; event_count: number }>();
  return results.map((r) => r.event_count);
}

describe("faults in the ingest path", () => {
  it("a Durable Object throwing mid-ingest: rolled back, retried, counted exactly once everywhere", async () => {
    const t = await tenants();
    const a1 = `${t.a.id}:production:${t.slugs.a1}`;
    const hits = failAt("monitor.ingest", (d) => d === a1);
    const attempts = await consumeUntilAcked(t.bodies);
    expect(hits).toEqual([a1]);
    expect(attempts).toBe(2);
    await t.expectExact();
  });

  it("a crash after the objects committed, before the D1 upserts and the ack: nothing counted twice", async () => {
    const t = await tenants();
    // The batch dies twice after every object accepted it; the redeliveries find copies.
    const hits = failAt("consumer.record", () => true, 2);
    const attempts = await consumeUntilAcked(t.bodies);
    expect(hits).toHaveLength(2);
    expect(attempts).toBe(3);
    await t.expectExact();
    // The deployments and release markers were written by the attempt that got through.
    expect(await releaseTotals(t.a.id)).toEqual([40, 40]);
    expect(await releaseTotals(t.b.id)).toEqual([40]);
  });

  it("a crash in the archive flush, after assigning a chunk or after its put: each event in exactly one object", async () => {
    const t = await tenants();
    await consumeUntilAcked(t.bodies);
    const a1 = env.DEPLOYMENT_MONITOR.getByName(`${t.a.id}:production:${t.slugs.a1}`);
    const a2 = env.DEPLOYMENT_MONITOR.getByName(`${t.a.id}:production:${t.slugs.a2}`);
    // Called in the object (not over RPC), so the injected error stays a plain rejection.
    const flush = (stub: typeof a1) => runInDurableObject(stub, (o) => o.flushArchive());
    failAt("archive.put", (key) => key.includes(t.slugs.a1));
    await expect(flush(a1)).rejects.toThrow(/injected fault at archive.put/);
    failAt("archive.written", (key) => key.includes(t.slugs.a2));
    await expect(flush(a2)).rejects.toThrow(/injected fault at archive.written/);
    // More events arrive meanwhile: they go to a later object, not into the assigned one.
    const late = telemetry(t.a.id, t.slugs.a1, 45);
    await consumeUntilAcked([late]);
    await t.expectExact({ a1: 45 });
    const events = await archivedEvents(t.a.id);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

type ChannelRow = typeof channelsTable.$inferSelect;

describe("faults in the alert path", () => {
  it("a queue send failing after some messages: the rest go out on the next tick, each once", async () => {
    const [a, b] = [await createProject("send-a"), await createProject("send-b")];
    const hooks = [uniqueSlug("hook-a"), uniqueSlug("hook-b")];
    const channels: ChannelRow[] = [a, b].map((p, i) => ({
      id: `ch_${hooks[i]}`,
      projectId: p.id,
      type: "slack",
      name: "s",
      url: `${receiverUrl}/hook/${hooks[i]}`,
      secret: null,
      enabled: true,
      disabledReason: null,
      createdAt: Date.now(),
    }));
    for (const ch of channels) {
      await env.DB.prepare(
        "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 's', ?, 1, ?)",
      )
        .bind(ch.id, ch.projectId, ch.url, ch.createdAt)
        .run();
    }
    // 120 alerts waiting in the outbox (60 per tenant): more than one sendBatch of 100.
    const now = Date.now();
    const rows = Array.from({ length: 120 }, (_, i) => {
      const ch = channels[i % 2] as ChannelRow;
      return outboxRow(ch.projectId, sampleGroup(ch, "https://dw.test", now + i), ch, now);
    });
    for (const row of rows) await outboxInsert(env.DB, row);
    let sends = 0;
    faultHooks["notifications.send"] = () => {
      sends++;
      if (sends === 2) throw new Error("injected: queue send failed after 100 messages");
    };
    await expect(sendOutbox(env, Date.now())).rejects.toThrow(/after 100 messages/);
    delete faultHooks["notifications.send"];
    await runTick(env, Date.now());
    for (const hook of hooks) {
      const got = await waitFor(
        () => received(hook),
        (r) => r.length >= 60,
        45_000,
      );
      expect(got, hook).toHaveLength(60);
    }
    await sleep(2_000);
    for (const hook of hooks) expect(await received(hook)).toHaveLength(60);
    for (const p of [a, b]) {
      const statuses = (await deliveriesOf(p.id)).map((d) => `${d.status}/${d.attempts}`);
      expect(new Set(statuses)).toEqual(new Set(["delivered/1"]));
    }
  }, 90_000);

  it("a notifier timing out: delivered on retry, and the other tenant's alert is not held up", async () => {
    const slow = await alertingDeployment("slow");
    const fast = await alertingDeployment("fast");
    await fetch(`${receiverUrl}/__script/${slow.hook}`, {
      method: "POST",
      body: JSON.stringify({ responses: [{ status: 200, delay_ms: 5_000 }, { status: 200 }] }),
    });
    const started = Date.now();
    await evaluateDeployment(env, slow.deployment, slow.minute);
    await evaluateDeployment(env, fast.deployment, fast.minute);
    const fastGot = await waitFor(
      () => received(fast.hook),
      (r) => r.length > 0,
    );
    expect(fastGot).toHaveLength(1);
    expect((fastGot[0]?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(2_000);
    const [done] = await waitFor(
      () => deliveriesOf(slow.projectId),
      (d) => d[0]?.status === "delivered",
      20_000,
    );
    expect(done).toMatchObject({ status: "delivered", attempts: 2 });
    // The receiver saw the timed-out attempt and the retry: the same message.
    const slowGot = await received(slow.hook);
    expect(slowGot).toHaveLength(2);
    expect(slowGot[1]?.body).toBe(slowGot[0]?.body);
  }, 60_000);

  it("one deployment's evaluation throwing: the others alert on time, its alert comes next tick", async () => {
    const broken = await alertingDeployment("broken");
    const sibling = await alertingDeployment("sibling", { projectId: broken.projectId });
    const other = await alertingDeployment("other-tenant");
    const hits = failAt("evaluate.deployment", (d) => d === broken.deployment.id);
    const minute = Math.max(broken.minute, sibling.minute, other.minute);
    await runTick(env, minute + 1_000);
    expect(hits).toEqual([broken.deployment.id]);
    expect(await firingIncidents(broken.deployment.id)).toEqual([]);
    for (const d of [sibling, other]) {
      const [incident] = await firingIncidents(d.deployment.id);
      expect(incident?.rule_id).toBe(ERROR_RULE_ID);
    }
    // The sibling shares the project's channel with the broken one: its hook is the broken's.
    await waitFor(
      () => received(other.hook),
      (r) => r.length > 0,
    );
    await runTick(env, minute + MINUTE + 1_000);
    expect(await firingIncidents(broken.deployment.id)).toHaveLength(1);
    const brokenGot = await waitFor(
      () => received(broken.hook),
      (r) => r.some((x) => x.body.includes(broken.deployment.slug)),
    );
    await sleep(2_000);
    for (const d of [broken, sibling, other]) {
      const mine = (await received(d.hook)).filter((r) => r.body.includes(d.deployment.slug));
      expect(mine, d.deployment.slug).toHaveLength(1);
    }
    expect(brokenGot.length).toBeGreaterThan(0);
  }, 60_000);
});
