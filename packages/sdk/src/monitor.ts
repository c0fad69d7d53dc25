// The runtime-neutral Monitor: a bounded drop-oldest queue, batching by count and by
// time, and serialised flushes through the retrying sender.
import { body, newEventId, pack } from "./pack";
import { createSender } from "./transport";
import type {
  Monitor,
  MonitorError,
  MonitorOptions,
  MonitorStats,
  SdkEvent,
  TrackInput,
} from "./types";

const MAX_EVENTS = 1000;
const MAX_BYTES = 1 << 20;
/** sendBeacon (and keepalive fetch) refuse bodies above 64 KiB. */
export const BEACON_BYTES = 1 << 16;

/** The ingest URL at `endpoint` (trailing slashes dropped), with `query` if any. */
export const eventsUrl = (endpoint: string, query = ""): string =>
  `${endpoint.replace(/\/+$/, "")}/v1/events${query ? `?${query}` : ""}`;

/** Set by the adapters whose flushes nobody awaits (browser, Worker's waitUntil). */
export interface Delivery {
  /**
   * Tells the server nobody waits for the answer (`?beacon=1`): it may hold a small
   * request up to 2 s to share a storage commit with others, which makes it cheaper.
   */
  beacon?: boolean;
}

export const createMonitor = (options: MonitorOptions, delivery: Delivery = {}): Monitor => {
  const {
    deployment,
    environment,
    defaults,
    beacon,
    maxQueueSize = 1000,
    flushIntervalMs = 2000,
    now = Date.now,
  } = options;
  const maxBatchSize = Math.max(1, Math.min(options.maxBatchSize ?? 50, MAX_EVENTS));
  const counts: MonitorStats = { queued: 0, sent: 0, dropped: 0, failed: 0, retries: 0 };
  const queue: SdkEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();
  let closed = false;
  let lastEventId: string | undefined;

  const report = (error: MonitorError) => {
    try {
      options.onError?.(error);
    } catch {
      // A throwing error handler must not wedge the flush chain.
    }
  };
  const post = createSender(
    {
      url: eventsUrl(options.endpoint, delivery.beacon ? "beacon=1" : ""),
      key: options.key,
      maxRetries: options.maxRetries ?? 5,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      report,
    },
    counts,
  );

  const stopTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const drain = async () => {
    stopTimer();
    while (queue.length) {
      const parts = queue.splice(0, maxBatchSize).map((event) => JSON.stringify(event));
      for (const group of pack(parts, MAX_BYTES, MAX_EVENTS)) await post(group);
    }
  };

  const flush = (): Promise<void> => {
    chain = chain
      .then(drain)
      .catch((error) => report({ status: 0, message: String(error), count: 0 }));
    return chain;
  };

  const enqueue = (event: SdkEvent & { id: string }): string => {
    if (closed) {
      counts.dropped++;
      return event.id;
    }
    if (queue.length >= maxQueueSize) {
      queue.shift();
      counts.dropped++;
    }
    queue.push(event);
    if (queue.length >= maxBatchSize) void flush();
    else if (!timer && flushIntervalMs > 0) {
      timer = setTimeout(() => void flush(), flushIntervalMs);
      // NOTE: a Node timer keeps the process alive; unref it, the node adapter flushes on beforeExit.
      const handle: unknown = timer;
      (handle as { unref?: () => void }).unref?.();
    }
    return event.id;
  };

  return {
    track(event: TrackInput) {
      lastEventId = event.id ?? newEventId();
      return enqueue({
        ...defaults,
        ...event,
        deployment: event.deployment ?? deployment,
        environment: event.environment ?? environment,
        id: lastEventId,
        ts: event.ts ?? now(),
      });
    },
    feedback(ref, feedback, rating) {
      return enqueue({
        type: "feedback",
        id: newEventId(),
        ref,
        deployment,
        environment,
        ts: now(),
        feedback,
        rating,
      });
    },
    flush,
    flushSync() {
      if (!beacon) return void flush();
      stopTimer();
      const parts = queue.splice(0).map((event) => JSON.stringify(event));
      for (const group of pack(parts, BEACON_BYTES, MAX_EVENTS)) {
        beacon(body(group));
        counts.sent += group.length;
      }
    },
    stats: () => ({ ...counts, queued: queue.length }),
    close() {
      closed = true;
      return flush();
    },
    get lastEventId() {
      return lastEventId;
    },
  };
};
