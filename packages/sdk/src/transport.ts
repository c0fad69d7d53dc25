// POST /v1/events with retries: backoff + jitter on 429/5xx/network errors (honouring
// Retry-After), halving on 413, giving up at once on other 4xx.
import { body } from "./pack";
import { backoffDelay, retryAfterMs } from "./retry";
import type { FetchLike, MonitorError, MonitorStats, Rejection } from "./types";

export interface SenderConfig {
  url: string;
  key: string;
  maxRetries: number;
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  report: (error: MonitorError) => void;
}

type Counters = Pick<MonitorStats, "sent" | "failed" | "retries">;

/** Returns `post(parts)`, which delivers serialised events and updates the counters. */
export const createSender = (config: SenderConfig, counts: Counters) => {
  const fail = (status: number, message: string, count: number, rejected?: Rejection[]) => {
    counts.failed += count;
    config.report({ status, message, count, rejected });
  };

  const post = async (parts: string[]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let message: string;
      let wait: number | undefined;
      try {
        const res = await config.fetch(config.url, {
          method: "POST",
          headers: { authorization: `Bearer ${config.key}`, "content-type": "application/json" },
          body: body(parts),
        });
        status = res.status;
        message = await res.text();
        if (res.ok) {
          const rejected = parseRejected(message);
          counts.sent += parts.length - rejected.length;
          if (rejected.length) fail(status, "events rejected", rejected.length, rejected);
          return;
        }
        if (status === 413 && parts.length > 1) {
          const half = parts.length >> 1;
          await post(parts.slice(0, half));
          return post(parts.slice(half));
        }
        // 400: nothing valid; 401/403: bad key; other 4xx: retrying changes nothing.
        if (status !== 429 && status < 500) return fail(status, message, parts.length);
        wait = retryAfterMs(res.headers.get("retry-after"), config.now());
      } catch (error) {
        message = String(error);
      }
      if (attempt >= config.maxRetries) return fail(status, message, parts.length);
      counts.retries++;
      await config.sleep(wait ?? backoffDelay(attempt, config.random));
    }
  };
  return post;
};

const parseRejected = (text: string): Rejection[] => {
  try {
    const parsed: unknown = JSON.parse(text);
    const rejected =
      parsed && typeof parsed === "object" && "rejected" in parsed ? parsed.rejected : undefined;
    return Array.isArray(rejected) ? rejected : [];
  } catch {
    return [];
  }
};
