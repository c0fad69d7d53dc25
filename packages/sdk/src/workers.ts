// Cloudflare Workers adapter: every track()/feedback() schedules one flush per
// microtask through ctx.waitUntil, so delivery outlives the response. createWorkerMonitor's
// requests say `beacon=1`: no response waits for them.
import { createMonitor } from "./monitor";
import type { Monitor, MonitorOptions } from "./types";

export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A view of `monitor` whose track/feedback end in `ctx.waitUntil(monitor.flush())`.
 * NOTE: timers and promises do not survive across requests in Workers, so use one
 * view (or one monitor) per request.
 */
export const withWaitUntil = (monitor: Monitor, ctx: WaitUntilContext): Monitor => {
  let scheduled = false;
  const schedule = <T>(value: T): T => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        ctx.waitUntil(monitor.flush());
      });
    }
    return value;
  };
  return Object.assign(Object.create(monitor) as Monitor, {
    track: (event: Parameters<Monitor["track"]>[0]) => schedule(monitor.track(event)),
    feedback: (...args: Parameters<Monitor["feedback"]>) => schedule(monitor.feedback(...args)),
  });
};

/** A per-request monitor for a Worker: no timer, flushed through ctx.waitUntil. */
export const createWorkerMonitor = (options: MonitorOptions, ctx: WaitUntilContext): Monitor =>
  withWaitUntil(createMonitor({ flushIntervalMs: 0, ...options }, { beacon: true }), ctx);
