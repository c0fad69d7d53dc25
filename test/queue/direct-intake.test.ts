// Small ingest requests go straight to the deployment's Durable Object (src/queue/deliver.ts,
// src/monitor/intake.ts): stored before the 202, committed together, and exactly once
// through every fault: a commit rolled back, an answer lost after the commit, the queue
// failing on the fallback, a copy arriving both ways.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { type FaultPoint, faultHooks } from "../../src/fault-points";
import worker from "../../src/index";
import { packMessages } from "../../src/queue/enqueue";
import type { TelemetryMessageBody } from "../../src/queue/message-schema";
import {
  archivedEvents,
  BASE,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../helpers";

interface Accepted {
  accepted: number;
  ids: string[];
}

afterEach(() => {
  for (const point of Object.keys(faultHooks) as FaultPoint[]) delete faultHooks[point];
});

/** Fails `point` for `times` calls whose detail contains `which`. */
function failAt(point: FaultPoint, which: string, times = 1): string[] {
  const hits: string[] = [];
  faultHooks[point] = (detail) => {
    if (!detail.includes(which) || hits.length >= times) return;
    hits.push(detail);
    throw new Error(`injected fault at ${point} (${detail})`);
  };
  return hits;
}

const beacon = (slug: string, extra: Record<string, unknown> = {}) => ({
  deployment: slug,
  latency_ms: 120,
  model: "gpt-4o-mini",
  status: "ok",
  ...extra,
});

const post = (
  key: string,
  json: unknown,
  headers: Record<string, string> = {},
  path = "/v1/events",
) => call(path, { method: "POST", key, json, headers });

const monitor = (projectId: string, slug: string) =>
  env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`);

const windowCount = async (projectId: string, slug: string) =>
  (await monitor(projectId, slug).snapshot({ from: Date.now() - 3_600_000, to: Date.now() + 1 }))
    .summary.count;

/** POST through the app with the TELEMETRY queue replaced by one whose every send fails. */
function postWithBrokenQueue(
  key: string,
  json: unknown,
  headers: Record<string, string>,
  path: string,
) {
  const broken = {
    send: async () => {
      throw new Error("injected send failure");
    },
    sendBatch: async () => {
      throw new Error("injected sendBatch failure");
    },
  } as unknown as Queue<TelemetryMessageBody>;
  const req = new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(json),
  });
  return app.fetch(req, { ...env, TELEMETRY: broken }, createExecutionContext());
}

/** The D1 release marker of the deployment, once its object's alarm wrote it. */
async function releaseCount(projectId: string, slug: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT event_count FROM releases WHERE deployment_id = ?")
    .bind(`${projectId}:production:${slug}`)
    .first<{ event_count: number }>();
  return row?.event_count ?? null;
}

describe("small requests go straight to the deployment's Durable Object", () => {
  it("stores a beacon before answering 202: counted and in the outbox, no queue involved", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const res = await post(p.ingest, beacon(slug));
    expect(res.status).toBe(202);
    // No wait: the object committed it before the answer.
    const stats = await monitor(p.id, slug).stats();
    expect(stats.ledgerIds).toBe(1);
    expect(stats.outboxBytes).toBeGreaterThan(0);
    expect(stats.intake).toEqual({ requests: 1, beacons: 0, events: 1, commits: 1 });
    expect(await windowCount(p.id, slug)).toBe(1);
    // The deployment and its release marker reach D1 from the object's alarm.
    expect(
      await waitFor(
        () => releaseCount(p.id, slug),
        (n) => n === 1,
      ),
    ).toBe(1);
  });

  it("refuses a beacon flag other than 1 with 400 naming it, and stores nothing", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    for (const flag of ["true", "0", ""]) {
      const res = await post(p.ingest, beacon(slug), {}, `/v1/events?beacon=${flag}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; message: string; details: { issues: unknown[] } };
      };
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.message).toBe(
        'Invalid query: beacon: must be "1" (nobody waits for the answer) or left out',
      );
      expect(body.error.details.issues).toEqual([
        { path: "beacon", message: 'must be "1" (nobody waits for the answer) or left out' },
      ]);
    }
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(0);
    expect((await post(p.ingest, beacon(slug), {}, "/v1/events?beacon=1")).status).toBe(202);
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(1);
  });

  it("commits concurrent beacons (?beacon=1) to one deployment together, each counted once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(p.ingest, beacon(slug, { latency_ms: i }), {}, "/v1/events?beacon=1"),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(202));
    const stats = await monitor(p.id, slug).stats();
    expect(stats.ledgerIds).toBe(40);
    expect(stats.intake.requests).toBe(40);
    expect(stats.intake.beacons).toBe(40);
    expect(stats.intake.commits).toBeLessThanOrEqual(10);
    expect(await windowCount(p.id, slug)).toBe(40);
    // A new release's marker is written at once, later counts by the next flush (30 s):
    // on a loaded machine the first commit may hold only some of the 40.
    expect(
      await waitFor(
        () => releaseCount(p.id, slug),
        (n) => n === 40,
        45_000,
      ),
    ).toBe(40);
    const archived = await archivedEvents(p.id);
    expect(archived).toHaveLength(40);
  }, 90_000);

  it("keeps requests of more than 10 events on the queue", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const res = await post(
      p.ingest,
      Array.from({ length: 11 }, () => beacon(slug)),
    );
    expect(res.status).toBe(202);
    expect((await monitor(p.id, slug).stats()).intake.requests).toBe(0);
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 11,
      ),
    ).toBe(11);
  });

  it("counts a beacon resent with the same Idempotency-Key once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const headers = { "idempotency-key": `beacon-${slug}` };
    const first = (await (await post(p.ingest, beacon(slug), headers)).json()) as Accepted;
    const again = (await (await post(p.ingest, beacon(slug), headers)).json()) as Accepted;
    expect(again.ids).toEqual(first.ids);
    const stats = await monitor(p.id, slug).stats();
    expect(stats.ledgerIds).toBe(1);
    expect(stats.intake.events).toBe(2);
    expect(await windowCount(p.id, slug)).toBe(1);
    expect(await archivedEvents(p.id)).toHaveLength(1);
  });
});

// Both ways in: clients that wait (committed at once) and beacons (held for a shared commit).
describe.each([
  ["from clients that wait", "/v1/events"],
  ["from beacons", "/v1/events?beacon=1"],
])("faults in the direct path, requests %s", (_, path) => {
  it("a commit that fails mid-transaction is rolled back; the events go to the queue and are counted once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const hits = failAt("monitor.ingest", slug);
    const res = await post(p.ingest, [beacon(slug), beacon(slug, { status: "error" })], {}, path);
    expect(res.status).toBe(202);
    expect(hits).toHaveLength(1);
    // Nothing of the failed commit stayed; the queue consumer counts both.
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 2,
      ),
    ).toBe(2);
    expect(await windowCount(p.id, slug)).toBe(2);
    expect(await archivedEvents(p.id)).toHaveLength(2);
  });

  it("a group commit that fails fails every request it held; each falls back and is counted once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    // Every commit fails while the requests are answered (the queue's fallback may be
    // consumed meanwhile and retried); afterwards the consumer's ingest succeeds.
    let failing = true;
    let hits = 0;
    faultHooks["monitor.ingest"] = (detail) => {
      if (!failing || !detail.includes(slug)) return;
      hits++;
      throw new Error(`injected fault at monitor.ingest (${detail})`);
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(p.ingest, beacon(slug, { latency_ms: i }), {}, path),
      ),
    );
    failing = false;
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(hits).toBeGreaterThan(0);
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(0);
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 6,
      ),
    ).toBe(6);
    expect(await windowCount(p.id, slug)).toBe(6);
    expect(await archivedEvents(p.id)).toHaveLength(6);
  });

  it("a commit whose answer is lost (the object restarting after the write): the queued copies are dropped", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const hits = failAt("intake.answer", slug);
    const res = await post(p.ingest, beacon(slug), {}, path);
    expect(res.status).toBe(202);
    expect(hits).toHaveLength(1);
    // Stored by the commit; the fallback's message reaches the consumer, whose ingest
    // finds the id in the ledger.
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(1);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await storedEventCount(p.id)).toBe(1);
    expect(await windowCount(p.id, slug)).toBe(1);
    expect(await archivedEvents(p.id)).toHaveLength(1);
  });

  it("the object and then the queue failing: 503 naming the event; the retry with the same key counts it once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const headers = { "idempotency-key": `retry-${slug}` };
    failAt("monitor.ingest", slug);
    const res = await postWithBrokenQueue(p.ingest, beacon(slug), headers, path);
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as {
      error: {
        code: string;
        details: { not_queued: { index: number; id: string }[]; ids: string[] };
      };
    };
    expect(error.code).toBe("unavailable");
    expect(error.details.not_queued).toEqual([{ index: 0, id: error.details.ids[0] }]);
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(0);
    const again = await post(p.ingest, beacon(slug), headers, path);
    expect(again.status).toBe(202);
    expect(((await again.json()) as Accepted).ids).toEqual(error.details.ids);
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(1);
    expect(await windowCount(p.id, slug)).toBe(1);
  });

  it("an event committed directly and delivered again by the queue (twice) is counted and archived once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const sent = (await (await post(p.ingest, beacon(slug), {}, path)).json()) as Accepted;
    const id = sent.ids[0] ?? "";
    const now = Date.now();
    const [body] = packMessages(p.id, now, [
      {
        type: "interaction",
        id,
        deployment: slug,
        environment: "production",
        ts: now,
        status: "ok",
      },
    ]);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const batch = createMessageBatch("driftwatch-telemetry-dev", [
        { id: `m-${attempt}`, timestamp: new Date(), attempts: attempt, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`m-${attempt}`]);
    }
    expect((await monitor(p.id, slug).stats()).ledgerIds).toBe(1);
    expect(await windowCount(p.id, slug)).toBe(1);
    expect(await archivedEvents(p.id)).toHaveLength(1);
  });
});
