// Browser adapter: on visibilitychange→hidden and pagehide, hand the queue to
// navigator.sendBeacon (key in the query string, text/plain body: no CORS preflight),
// falling back to fetch with keepalive. Nothing on the page waits for an answer, so every
// request says `beacon=1` (the server may hold it briefly to share a commit).
import { createMonitor, eventsUrl } from "./monitor";
import type { FetchInit, Monitor, MonitorOptions } from "./types";

interface Listenable {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}
interface BrowserGlobals {
  navigator?: { sendBeacon?: (url: string, data: Blob) => boolean };
  document?: Listenable & { visibilityState?: string };
  window?: Listenable;
}

export const createBrowserMonitor = (options: MonitorOptions): Monitor => {
  const url = eventsUrl(options.endpoint, `key=${encodeURIComponent(options.key)}&beacon=1`);
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const g = globalThis as BrowserGlobals;

  const beacon = (body: string) => {
    // NOTE: sendBeacon must be called as a method of navigator ("Illegal invocation").
    if (g.navigator?.sendBeacon?.(url, new Blob([body], { type: "text/plain" }))) return;
    const init: FetchInit = {
      method: "POST",
      body,
      keepalive: true,
      headers: { "content-type": "text/plain" },
    };
    send(url, init).catch(() => {});
  };
  const monitor = createMonitor({ ...options, beacon: options.beacon ?? beacon }, { beacon: true });

  const onHidden = () => {
    if (g.document?.visibilityState === "hidden") monitor.flushSync();
  };
  const onPageHide = () => monitor.flushSync();
  g.document?.addEventListener("visibilitychange", onHidden);
  g.window?.addEventListener("pagehide", onPageHide);

  return Object.assign(Object.create(monitor) as Monitor, {
    close() {
      g.document?.removeEventListener("visibilitychange", onHidden);
      g.window?.removeEventListener("pagehide", onPageHide);
      return monitor.close();
    },
  });
};
