// Monitor core: batching by count and by time, the drop-oldest bound, ids and defaults.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMonitor } from "../../packages/sdk/src";
import type { MonitorOptions } from "../../packages/sdk/src/types";
import { fakeFetch } from "./fake-fetch";

const setup = (options: Partial<MonitorOptions> = {}) => {
  const fake = fakeFetch();
  const monitor = createMonitor({
    endpoint: "https://dw.example/",
    key: "dw_ingest_secret",
    deployment: "support-bot",
    fetch: fake.fetch,
    ...options,
  });
  return { monitor, ...fake };
};

afterEach(() => {
  vi.useRealTimers();
});

describe("createMonitor", () => {
  it("sends a full batch as soon as maxBatchSize events are queued", async () => {
    const { monitor, requests } = setup({ maxBatchSize: 3, flushIntervalMs: 0 });
    monitor.track({ latency_ms: 1 });
    monitor.track({ latency_ms: 2 });
    expect(requests).toHaveLength(0);
    monitor.track({ latency_ms: 3 });
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    const [request] = requests;
    expect(request?.url).toBe("https://dw.example/v1/events");
    expect(request?.method).toBe("POST");
    expect(request?.headers.authorization).toBe("Bearer dw_ingest_secret");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.events.map((e) => e.latency_ms)).toEqual([1, 2, 3]);
    await monitor.flush();
    expect(monitor.stats()).toEqual({ queued: 0, sent: 3, dropped: 0, failed: 0, retries: 0 });
  });

  it("sends a partial batch flushIntervalMs after its first event", async () => {
    vi.useFakeTimers();
    const { monitor, requests } = setup({ flushIntervalMs: 2000 });
    monitor.track({ latency_ms: 1 });
    await vi.advanceTimersByTimeAsync(1000);
    monitor.track({ latency_ms: 2 });
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.events).toHaveLength(2);
    monitor.track({ latency_ms: 3 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(requests).toHaveLength(2);
    expect(monitor.stats()).toMatchObject({ queued: 0, sent: 3 });
  });

  it("splits a large flush into requests of at most maxBatchSize events", async () => {
    const { monitor, requests } = setup({ maxBatchSize: 4, flushIntervalMs: 0, maxQueueSize: 100 });
    for (let i = 0; i < 10; i++) monitor.track({ output_chars: i });
    await monitor.flush();
    expect(requests.map((r) => r.events.length)).toEqual([4, 4, 2]);
    expect(requests.flatMap((r) => r.events.map((e) => e.output_chars))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it("drops the oldest events when the queue is full and counts them", async () => {
    const { monitor, requests } = setup({ maxBatchSize: 100, maxQueueSize: 3, flushIntervalMs: 0 });
    for (let i = 0; i < 5; i++) monitor.track({ output_chars: i });
    expect(monitor.stats()).toMatchObject({ queued: 3, dropped: 2, sent: 0 });
    await monitor.flush();
    expect(requests[0]?.events.map((e) => e.output_chars)).toEqual([2, 3, 4]);
    expect(monitor.stats()).toEqual({ queued: 0, sent: 3, dropped: 2, failed: 0, retries: 0 });
  });

  it("fills id, ts, deployment, environment and defaults, letting the event override them", async () => {
    const { monitor, requests } = setup({
      environment: "staging",
      defaults: { model: "gpt-4o", release: "r7" },
      now: () => 1_700_000_000_000,
      flushIntervalMs: 0,
    });
    const generated = monitor.track({});
    expect(monitor.lastEventId).toBe(generated);
    const given = monitor.track({ id: "evt-1", ts: 5, model: "o3", deployment: "other-bot" });
    expect(given).toBe("evt-1");
    expect(monitor.lastEventId).toBe("evt-1");
    await monitor.flush();
    const [first, second] = requests[0]?.events ?? [];
    expect(first).toEqual({
      id: generated,
      ts: 1_700_000_000_000,
      deployment: "support-bot",
      environment: "staging",
      model: "gpt-4o",
      release: "r7",
    });
    expect(second).toMatchObject({ id: "evt-1", ts: 5, model: "o3", deployment: "other-bot" });
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("queues feedback referencing an earlier event id", async () => {
    const { monitor, requests } = setup({ flushIntervalMs: 0, now: () => 42 });
    const id = monitor.track({});
    monitor.feedback(id, -1);
    await monitor.flush();
    expect(requests[0]?.events[1]).toEqual({
      type: "feedback",
      id: expect.any(String),
      ref: id,
      deployment: "support-bot",
      ts: 42,
      feedback: -1,
    });
  });

  it("flushes what is left on close and drops events tracked afterwards", async () => {
    const { monitor, requests } = setup();
    monitor.track({});
    await monitor.close();
    expect(requests).toHaveLength(1);
    monitor.track({});
    await monitor.flush();
    expect(requests).toHaveLength(1);
    expect(monitor.stats()).toMatchObject({ sent: 1, dropped: 1, queued: 0 });
  });

  it("does nothing on flush when the queue is empty", async () => {
    const { monitor, requests } = setup();
    await monitor.flush();
    expect(requests).toHaveLength(0);
  });
});
