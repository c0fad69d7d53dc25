// The TELEMETRY consumer given batches that hold the same event more than once on their
// first delivery (an SDK retry after a lost response, a client sending twice): each event
// is counted and archived once, and every message is acknowledged. The layouts put the
// repeats within one message, across messages, and first in a batch: the Durable Object
// must keep the first copy of each id and drop every other.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { packMessages } from "../../src/queue/enqueue";
import { archivedEvents, createProject, uniqueSlug } from "../helpers";

const QUEUE = "driftwatch-telemetry-dev";

interface Scenario {
  projectId: string;
  slug: string;
  /** An event of this deployment; `error` marks it as an error. */
  event: (id: string, error?: boolean) => NormalizedInteraction;
}

async function scenario(): Promise<Scenario> {
  const p = await createProject();
  const slug = uniqueSlug("dup");
  const now = Date.now();
  return {
    projectId: p.id,
    slug,
    event: (id, error = false) => ({
      type: "interaction",
      id: `${slug}-${id}`,
      deployment: slug,
      environment: "production",
      ts: now,
      status: error ? "error" : "ok",
    }),
  };
}

/** Delivers one batch, first delivery, one queue message per list of events. */
async function deliver(s: Scenario, messages: NormalizedInteraction[][]) {
  const bodies = messages.map((events) => {
    const packed = packMessages(s.projectId, Date.now(), events);
    expect(packed).toHaveLength(1);
    return packed[0];
  });
  const batch = createMessageBatch(
    QUEUE,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

async function counted(s: Scenario) {
  const snap = await env.DEPLOYMENT_MONITOR.getByName(
    `${s.projectId}:production:${s.slug}`,
  ).snapshot({ from: Date.now() - 3_600_000, to: Date.now() + 60_000 });
  const stored = (await archivedEvents(s.projectId)).length;
  return { count: snap.summary.count, error: snap.summary.status.error, stored };
}

describe("telemetry consumer, duplicates on first delivery", () => {
  it("counts an event listed twice in one message once", async () => {
    const s = await scenario();
    const result = await deliver(s, [[s.event("a", true), s.event("a", true), s.event("b")]]);
    expect(result.explicitAcks).toEqual(["m0"]);
    expect(result.retryMessages).toEqual([]);
    expect(await counted(s)).toEqual({ count: 2, error: 1, stored: 2 });
  });

  it("counts one event sent in two single-event messages once", async () => {
    const s = await scenario();
    const result = await deliver(s, [[s.event("x", true)], [s.event("x", true)]]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1"]);
    expect(await counted(s)).toEqual({ count: 1, error: 1, stored: 1 });
  });

  it("keeps each partial message's new events apart from its repeats", async () => {
    const s = await scenario();
    const e = s.event;
    // m0 is all new; m1 and m2 repeat an event of m0 and bring one new event each (m2's is
    // an error); m3 is all new again. Only m1 and m2 are partial.
    const result = await deliver(s, [
      [e("a"), e("b")],
      [e("a"), e("c")],
      [e("b"), e("d", true), e("f")],
      [e("g"), e("h")],
    ]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2", "m3"]);
    expect(await counted(s)).toEqual({ count: 7, error: 1, stored: 7 });
  });

  it("counts a batch whose first message is all repeats of a later one once", async () => {
    const s = await scenario();
    const e = s.event;
    const result = await deliver(s, [[e("p", true)], [e("q"), e("p", true)], [e("r")]]);
    expect(result.explicitAcks.sort()).toEqual(["m0", "m1", "m2"]);
    expect(await counted(s)).toEqual({ count: 3, error: 1, stored: 3 });
  });
});
