// Delivery: retries with backoff and Retry-After on 429/5xx, no retry on 400/401/403,
// 413 halving, per-event rejections in a 202, and the 1 MiB request bound.
import { describe, expect, it } from "vitest";
import { createMonitor } from "../../packages/sdk/src";
import { backoffDelay, retryAfterMs } from "../../packages/sdk/src/retry";
import type { MonitorError, MonitorOptions } from "../../packages/sdk/src/types";
import { acceptAll, accepted, fakeFetch, recordingSleep } from "./fake-fetch";

type Script = Parameters<typeof fakeFetch>;

const setup = (script: Script, options: Partial<MonitorOptions> = {}) => {
  const fake = fakeFetch(...script);
  const { sleep, delays } = recordingSleep();
  const errors: MonitorError[] = [];
  const monitor = createMonitor({
    endpoint: "https://dw.example",
    key: "k",
    deployment: "support-bot",
    flushIntervalMs: 0,
    fetch: fake.fetch,
    sleep,
    random: () => 0.5,
    now: () => Date.parse("2025-01-01T00:00:00Z"),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { monitor, delays, errors, ...fake };
};

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: `http_${code}`, message: "no" } }), {
    status: code,
    headers,
  });

describe("delivery", () => {
  it("retries 429 after the Retry-After seconds and then succeeds", async () => {
    const { monitor, requests, delays } = setup([status(429, { "retry-after": "7" }), acceptAll]);
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    expect(delays).toEqual([7000]);
    expect(monitor.stats()).toMatchObject({ sent: 1, failed: 0, retries: 1 });
  });

  it("honours a Retry-After HTTP-date on 503", async () => {
    const { monitor, delays } = setup([
      status(503, { "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }),
      acceptAll,
    ]);
    monitor.track({});
    await monitor.flush();
    expect(delays).toEqual([30_000]);
  });

  it("backs off exponentially with full jitter when there is no Retry-After", async () => {
    const { monitor, requests, delays, errors } = setup([status(503)], { maxRetries: 4 });
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(5);
    expect(delays).toEqual([250, 500, 1000, 2000]); // random 0.5 × 500·2^attempt
    expect(monitor.stats()).toMatchObject({ sent: 0, failed: 1, retries: 4 });
    expect(errors).toEqual([expect.objectContaining({ status: 503, count: 1 })]);
  });

  it("caps the backoff at 30 s", () => {
    expect(backoffDelay(20, () => 0.999_999)).toBeLessThan(30_000);
    expect(backoffDelay(20, () => 0.5)).toBe(15_000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it("retries network errors", async () => {
    const { monitor, requests } = setup([new TypeError("fetch failed"), acceptAll]);
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(2);
    expect(monitor.stats()).toMatchObject({ sent: 1, retries: 1 });
  });

  it.each([400, 401, 403])("does not retry a %i and reports it", async (code) => {
    const { monitor, requests, errors, delays } = setup([status(code)]);
    monitor.track({});
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(monitor.stats()).toMatchObject({ sent: 0, failed: 2, retries: 0 });
    expect(errors).toEqual([expect.objectContaining({ status: code, count: 2 })]);
    expect(errors[0]?.message).toContain(`http_${code}`);
  });

  it("splits the batch in halves on 413 and resends them", async () => {
    const { monitor, requests } = setup([
      (r) => (r.events.length > 2 ? status(413) : accepted(r.events.length)),
    ]);
    for (let i = 0; i < 5; i++) monitor.track({ output_chars: i });
    await monitor.flush();
    expect(requests.map((r) => r.events.map((e) => e.output_chars))).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1],
      [2, 3, 4],
      [2],
      [3, 4],
    ]);
    expect(monitor.stats()).toMatchObject({ sent: 5, failed: 0, retries: 0 });
  });

  it("gives up on a single event that is still too large", async () => {
    const { monitor, requests, errors } = setup([status(413)]);
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 413, count: 1 });
  });

  it("counts events rejected inside a 202 as failed and reports them", async () => {
    const rejection = { index: 1, code: "invalid", path: "latency_ms", message: "bad" };
    const { monitor, errors } = setup([accepted(3, [rejection])]);
    for (let i = 0; i < 3; i++) monitor.track({});
    await monitor.flush();
    expect(monitor.stats()).toMatchObject({ sent: 2, failed: 1 });
    expect(errors).toEqual([
      expect.objectContaining({ status: 202, count: 1, rejected: [rejection] }),
    ]);
  });

  it("keeps each request under 1 MiB", async () => {
    const { monitor, requests } = setup([acceptAll], { maxBatchSize: 1000, maxQueueSize: 1000 });
    const big = "x".repeat(120);
    for (let i = 0; i < 1000; i++)
      monitor.track({
        tags: { a: big, b: big, c: big, d: big, e: big, f: big, g: big, h: big, i: big },
      });
    await monitor.flush();
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests)
      expect(new TextEncoder().encode(r.body).length).toBeLessThanOrEqual(1 << 20);
    expect(requests.reduce((n, r) => n + r.events.length, 0)).toBe(1000);
  });

  it("keeps delivering after an onError handler throws", async () => {
    const { monitor, requests } = setup([status(400), acceptAll], {
      onError: () => {
        throw new Error("handler bug");
      },
    });
    monitor.track({});
    await monitor.flush();
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(2);
    expect(monitor.stats()).toMatchObject({ sent: 1, failed: 1 });
  });
});
