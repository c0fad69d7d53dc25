// Browser adapter: beacons on visibilitychange→hidden and pagehide, ?key= in the URL,
// text/plain bodies ≤ 64 KB, and the keepalive-fetch fallback.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createBrowserMonitor } from "../../packages/sdk/src";
import { fakeFetch } from "./fake-fetch";

interface Beacon {
  url: string;
  type: string;
  text: string;
}

const installBrowser = (beaconAccepts = true) => {
  const beacons: Beacon[] = [];
  const pending: Promise<void>[] = [];
  const document = Object.assign(new EventTarget(), { visibilityState: "visible" });
  const window = new EventTarget();
  vi.stubGlobal("document", document);
  vi.stubGlobal("window", window);
  vi.stubGlobal("navigator", {
    sendBeacon(url: string, data: Blob) {
      pending.push(data.text().then((text) => void beacons.push({ url, type: data.type, text })));
      return beaconAccepts;
    },
  });
  const hide = () => {
    document.visibilityState = "hidden";
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const settled = () => Promise.all(pending);
  return { beacons, document, window, hide, settled };
};

const options = (fetch = fakeFetch().fetch) => ({
  endpoint: "https://dw.example",
  key: "dw key/+&",
  deployment: "web-chat",
  flushIntervalMs: 0,
  fetch,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createBrowserMonitor", () => {
  it("sends the queue with sendBeacon when the page becomes hidden", async () => {
    const browser = installBrowser();
    const { fetch, requests } = fakeFetch();
    const monitor = createBrowserMonitor(options(fetch));
    const id = monitor.track({ latency_ms: 5 });
    monitor.feedback(id, 1);
    browser.document.dispatchEvent(new Event("visibilitychange")); // still visible: no beacon
    expect(monitor.stats().queued).toBe(2);
    browser.hide();
    await browser.settled();
    expect(browser.beacons).toHaveLength(1);
    const [beacon] = browser.beacons;
    expect(beacon?.url).toBe("https://dw.example/v1/events?key=dw%20key%2F%2B%26&beacon=1");
    expect(beacon?.type).toBe("text/plain");
    const sent = JSON.parse(beacon?.text ?? "{}");
    expect(sent.events).toEqual([
      expect.objectContaining({ id, latency_ms: 5, deployment: "web-chat" }),
      expect.objectContaining({ type: "feedback", ref: id, feedback: 1 }),
    ]);
    expect(requests).toHaveLength(0);
    expect(monitor.stats()).toMatchObject({ queued: 0, sent: 2 });
  });

  it("sends the queue with sendBeacon on pagehide", async () => {
    const browser = installBrowser();
    const monitor = createBrowserMonitor(options());
    monitor.track({});
    browser.window.dispatchEvent(new Event("pagehide"));
    await browser.settled();
    expect(browser.beacons).toHaveLength(1);
  });

  it("splits a large queue into several beacons of at most 64 KB", async () => {
    const browser = installBrowser();
    const monitor = createBrowserMonitor({ ...options(), maxBatchSize: 1000 });
    const text = "é".repeat(100); // 2 bytes each in UTF-8
    for (let i = 0; i < 400; i++) monitor.track({ tags: { a: text, b: text, c: text } });
    browser.hide();
    await browser.settled();
    expect(browser.beacons.length).toBeGreaterThan(1);
    let events = 0;
    for (const beacon of browser.beacons) {
      expect(new TextEncoder().encode(beacon.text).length).toBeLessThanOrEqual(65_536);
      events += JSON.parse(beacon.text).events.length;
    }
    expect(events).toBe(400);
  });

  it("falls back to a keepalive text/plain fetch when sendBeacon refuses", async () => {
    const browser = installBrowser(false);
    const { fetch, requests } = fakeFetch();
    const monitor = createBrowserMonitor(options(fetch));
    monitor.track({ output_chars: 3 });
    browser.hide();
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      url: "https://dw.example/v1/events?key=dw%20key%2F%2B%26&beacon=1",
      method: "POST",
      keepalive: true,
      headers: { "content-type": "text/plain" },
    });
    expect(requests[0]?.events).toEqual([expect.objectContaining({ output_chars: 3 })]);
  });

  it("removes its listeners on close", async () => {
    const browser = installBrowser();
    const offDocument = vi.spyOn(browser.document, "removeEventListener");
    const offWindow = vi.spyOn(browser.window, "removeEventListener");
    const monitor = createBrowserMonitor(options());
    await monitor.close();
    expect(offDocument).toHaveBeenCalledWith("visibilitychange", expect.any(Function));
    expect(offWindow).toHaveBeenCalledWith("pagehide", expect.any(Function));
  });

  it("still works as a plain fetch monitor where there is no document", async () => {
    const { fetch, requests } = fakeFetch();
    const monitor = createBrowserMonitor(options(fetch));
    monitor.track({});
    await monitor.flush();
    expect(requests[0]?.headers.authorization).toBe("Bearer dw key/+&");
  });

  it("marks its timed fetches as beacons too: nothing on the page waits for their answer", async () => {
    const { fetch, requests } = fakeFetch();
    const monitor = createBrowserMonitor(options(fetch));
    monitor.track({});
    await monitor.flush();
    expect(requests[0]?.url).toBe("https://dw.example/v1/events?beacon=1");
  });
});
