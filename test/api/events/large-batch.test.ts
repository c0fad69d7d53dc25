// Issue 9, defect 2: a large batch with non-Latin-1 text is queued whole or the answer
// says exactly which events were not; retrying never counts anything twice.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app";
import type { TelemetryMessageBody } from "../../../src/queue/message-schema";
import { BASE, call, createProject, storedEventCount, uniqueSlug, waitFor } from "../../helpers";

interface Accepted {
  accepted: number;
  ids: string[];
}
interface Unavailable {
  error: {
    code: string;
    message: string;
    details: { accepted: number; not_queued: { index: number; id: string }[]; ids: string[] };
  };
}

const post = (key: string, json: unknown, headers: Record<string, string> = {}) =>
  call("/v1/events", { method: "POST", key, json, headers });

const windowCount = async (projectId: string, slug: string) =>
  (
    await env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`).snapshot({
      from: Date.now() - 3_600_000,
      to: Date.now() + 1,
    })
  ).summary.count;

/** 1,000 events of about 480 characters, every `wideEvery`-th with a Japanese tag value. */
function batch(slug: string, wideEvery: number) {
  return Array.from({ length: 1_000 }, (_, i) => ({
    deployment: slug,
    latency_ms: 100 + i,
    model: "gpt-4o-mini",
    tags: {
      intent:
        i % wideEvery === 0
          ? "返品と払い戻しについての質問".repeat(8)
          : "refund-question".repeat(8),
      note: "x".repeat(100),
      locale: "ja-JP",
    },
    user: `user-${i}`,
  }));
}

/**
 * The real TELEMETRY queue, except that every sendBatch carrying one of the events
 * with these latencies (the events' positions + 100, see batch()) fails.
 */
function flakyQueue(latencies: number[]): Queue<TelemetryMessageBody> {
  const real = env.TELEMETRY as Queue<TelemetryMessageBody>;
  const doomed = (body: TelemetryMessageBody) =>
    body.v === 3 && latencies.some((ms) => body.events.includes(`"latency_ms":${ms},`));
  return {
    send: async (body, options) => {
      if (doomed(body)) throw new Error("injected send failure");
      return real.send(body, options);
    },
    sendBatch: async (messages, options) => {
      if ([...messages].some((m) => doomed(m.body))) throw new Error("injected sendBatch failure");
      return real.sendBatch(messages, options);
    },
  } as Queue<TelemetryMessageBody>;
}

async function postWith(
  queue: Queue<TelemetryMessageBody>,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const req = new Request(`${BASE}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return app.fetch(req, { ...env, TELEMETRY: queue }, createExecutionContext());
}

describe("large batches with wide text", () => {
  it.each([
    ["one Japanese tag value", 1_000],
    ["Japanese tag values throughout", 3],
  ])("queues a 1,000-event batch with %s whole and counts each event once", async (_, every) => {
    const p = await createProject();
    const slug = uniqueSlug();
    const res = await post(p.ingest, batch(slug, every));
    expect(res.status).toBe(202);
    expect(((await res.json()) as Accepted).accepted).toBe(1_000);
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 1_000,
      ),
    ).toBe(1_000);
    expect(await windowCount(p.id, slug)).toBe(1_000);
  });

  it("answers 503 naming exactly the events whose send failed; a retry with the same Idempotency-Key counts each once", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const body = batch(slug, 3);
    const headers = { "idempotency-key": `retry-${slug}` };
    // The send holding event 500 fails on both of its tries.
    const res = await postWith(flakyQueue([600]), p.ingest, body, headers);
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as Unavailable;
    expect(error.code).toBe("unavailable");
    const missing = error.details.not_queued;
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(1_000);
    expect(missing.map((m) => m.index)).toContain(500);
    expect(error.details.accepted).toBe(1_000 - missing.length);
    expect(missing.map((m) => m.id)).toEqual(missing.map((m) => `${error.details.ids[m.index]}`));
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= error.details.accepted,
      ),
    ).toBe(error.details.accepted);
    // The same request again, same key: all 1,000 counted, none twice.
    const again = await post(p.ingest, body, headers);
    expect(again.status).toBe(202);
    expect(((await again.json()) as Accepted).ids).toEqual(error.details.ids);
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 1_000,
      ),
    ).toBe(1_000);
    expect(await windowCount(p.id, slug)).toBe(1_000);
  });

  it("lets a client resend only the events not queued, with the ids the answer gave", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const body = batch(slug, 2);
    const res = await postWith(flakyQueue([100, 1099]), p.ingest, body);
    expect(res.status).toBe(503);
    const { details } = ((await res.json()) as Unavailable).error;
    const resend = details.not_queued.map(({ index, id }) => ({ ...body[index], id }));
    expect((await post(p.ingest, resend)).status).toBe(202);
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 1_000,
      ),
    ).toBe(1_000);
    expect(await windowCount(p.id, slug)).toBe(1_000);
  });

  it("gives the same ids to a request repeated with its Idempotency-Key, and fresh ones without", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const body = [{ deployment: slug }, { deployment: slug }];
    const ids = async (headers: Record<string, string>) =>
      ((await (await post(p.ingest, body, headers)).json()) as Accepted).ids;
    const keyed = await ids({ "idempotency-key": "abc-1" });
    expect(await ids({ "idempotency-key": "abc-1" })).toEqual(keyed);
    expect(keyed[0]).not.toBe(keyed[1]);
    expect(await ids({ "idempotency-key": "abc-2" })).not.toContain(keyed[0]);
    expect(await ids({})).not.toEqual(await ids({}));
    // abc-1 twice: 2 events; abc-2: 2 more; two requests without a key: 4 more.
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 8,
      ),
    ).toBe(8);
    const bad = await post(p.ingest, body, { "idempotency-key": "has space" });
    expect(bad.status).toBe(400);
  });
});
