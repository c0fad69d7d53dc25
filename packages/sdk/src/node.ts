// Node adapter: flush on process 'beforeExit' (found through globalThis, so the SDK
// needs no Node types and still loads in browsers and Workers).
import { createMonitor } from "./monitor";
import type { Monitor, MonitorOptions } from "./types";

interface ProcessLike {
  on(event: "beforeExit", listener: () => void): unknown;
  off?(event: "beforeExit", listener: () => void): unknown;
}

const processOf = (): ProcessLike | undefined => {
  const candidate = (globalThis as { process?: Partial<ProcessLike> }).process;
  return typeof candidate?.on === "function" ? (candidate as ProcessLike) : undefined;
};

/**
 * A monitor flushed when the event loop empties. beforeExit fires again after the
 * flush's I/O, which is a no-op once the queue is empty, so the process then exits.
 */
export const createNodeMonitor = (options: MonitorOptions): Monitor => {
  const monitor = createMonitor(options);
  const proc = processOf();
  const onBeforeExit = () => {
    if (monitor.stats().queued) void monitor.flush();
  };
  proc?.on("beforeExit", onBeforeExit);
  return Object.assign(Object.create(monitor) as Monitor, {
    close() {
      proc?.off?.("beforeExit", onBeforeExit);
      return monitor.close();
    },
  });
};
