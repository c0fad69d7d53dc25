// Workers (ctx.waitUntil) and Node (beforeExit) adapters.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createMonitor,
  createNodeMonitor,
  createWorkerMonitor,
  withWaitUntil,
} from "../../packages/sdk/src";
import { fakeFetch } from "./fake-fetch";

const base = { endpoint: "https://dw.example", key: "k", deployment: "edge-bot" };

const fakeContext = () => {
  const waited: Promise<unknown>[] = [];
  return { waited, ctx: { waitUntil: (promise: Promise<unknown>) => void waited.push(promise) } };
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("withWaitUntil", () => {
  it("hands one flush per burst of tracking to ctx.waitUntil", async () => {
    const { fetch, requests } = fakeFetch();
    const { ctx, waited } = fakeContext();
    const monitor = withWaitUntil(createMonitor({ ...base, fetch, flushIntervalMs: 0 }), ctx);
    const id = monitor.track({ latency_ms: 3 });
    monitor.feedback(id, 1);
    expect(monitor.lastEventId).toBe(id);
    await Promise.resolve();
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.events).toHaveLength(2);
    expect(monitor.stats()).toMatchObject({ sent: 2, queued: 0 });
    // A monitor the app made itself may be awaited elsewhere: its requests stay unmarked.
    expect(requests[0]?.url).toBe("https://dw.example/v1/events");

    monitor.track({});
    await Promise.resolve();
    expect(waited).toHaveLength(2);
  });

  it("creates a per-request monitor without a timer", async () => {
    vi.useFakeTimers();
    try {
      const { fetch, requests } = fakeFetch();
      const { ctx, waited } = fakeContext();
      const monitor = createWorkerMonitor({ ...base, fetch }, ctx);
      monitor.track({});
      expect(vi.getTimerCount()).toBe(0);
      await vi.waitFor(() => expect(waited).toHaveLength(1));
      await Promise.all(waited);
      expect(requests).toHaveLength(1);
      // Nobody waits for a waitUntil flush: the server may hold it for a shared commit.
      expect(requests[0]?.url).toBe("https://dw.example/v1/events?beacon=1");
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("createNodeMonitor", () => {
  it("flushes on process beforeExit and unregisters on close", async () => {
    const listeners = new Map<string, () => void>();
    const fakeProcess = {
      on: (event: string, listener: () => void) => listeners.set(event, listener),
      off: (event: string) => listeners.delete(event),
    };
    vi.stubGlobal("process", fakeProcess);
    const { fetch, requests } = fakeFetch();
    const monitor = createNodeMonitor({ ...base, fetch, flushIntervalMs: 0 });
    vi.unstubAllGlobals();

    monitor.track({});
    listeners.get("beforeExit")?.();
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    listeners.get("beforeExit")?.(); // nothing queued: no request, so the process can exit
    await monitor.close();
    expect(requests).toHaveLength(1);
    expect(listeners.has("beforeExit")).toBe(false);
  });

  it("works where there is no process", async () => {
    vi.stubGlobal("process", undefined);
    const { fetch, requests } = fakeFetch();
    const monitor = createNodeMonitor({ ...base, fetch });
    vi.unstubAllGlobals();
    monitor.track({});
    await monitor.close();
    expect(requests).toHaveLength(1);
  });
});
