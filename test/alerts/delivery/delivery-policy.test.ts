// Delivery outcomes (retry, backoff, Retry-After, dead-lettering, disabling) and secret masking.
import { describe, expect, it } from "vitest";
import {
  backoffSeconds,
  classifyDelivery,
  type DeliveryAttemptResult,
  describeAttempt,
  maskSecret,
  parseRetryAfter,
} from "../../../src/alerts/delivery/delivery-policy";

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const http = (status: number, retry_after?: string): DeliveryAttemptResult => ({
  kind: "http",
  status,
  retry_after,
});
const at = (attempt: number) => ({ attempt, now: NOW });

describe("delivery classification", () => {
  it("is done on any 2xx", () => {
    for (const status of [200, 201, 204]) {
      expect(classifyDelivery(http(status), at(1))).toEqual({
        action: "done",
        reason: "delivered",
        delay_seconds: 0,
      });
    }
  });

  it("retries 429, 5xx and network errors with exponential backoff from 10 s", () => {
    expect(classifyDelivery(http(429), at(1))).toEqual({
      action: "retry",
      reason: "rate_limited",
      delay_seconds: 10,
    });
    expect(classifyDelivery(http(500), at(2))).toMatchObject({
      action: "retry",
      delay_seconds: 20,
    });
    expect(classifyDelivery(http(503), at(3))).toMatchObject({
      reason: "server_error",
      delay_seconds: 40,
    });
    expect(classifyDelivery({ kind: "network_error" }, at(4))).toEqual({
      action: "retry",
      reason: "network_error",
      delay_seconds: 80,
    });
  });

  it("disables the channel on 410 Gone", () => {
    expect(classifyDelivery(http(410), at(1))).toEqual({
      action: "disable_channel",
      reason: "gone",
      delay_seconds: 0,
    });
  });

  it("fails permanently on other 4xx, and on redirects, without retrying", () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      expect(classifyDelivery(http(status, "5"), at(1))).toMatchObject({
        action: "permanent_failure",
        reason: "rejected",
      });
    }
    for (const status of [300, 301, 302, 307, 308]) {
      expect(classifyDelivery(http(status, "5"), at(1))).toMatchObject({
        action: "permanent_failure",
        reason: "redirected",
      });
    }
  });

  it("retries a timed-out attempt like a network error", () => {
    expect(classifyDelivery({ kind: "timeout" }, at(2))).toEqual({
      action: "retry",
      reason: "timeout",
      delay_seconds: 20,
    });
  });

  it("says in the delivery log why an attempt failed", () => {
    expect(describeAttempt(http(204), 10)).toBeNull();
    expect(describeAttempt(http(503), 10)).toBe("HTTP 503");
    expect(describeAttempt({ kind: "network_error" }, 10)).toBe("network error");
    expect(describeAttempt({ kind: "timeout" }, 10)).toBe("no answer within 10 s");
    const moved = { kind: "http", status: 301, location: "https://new.example.com/a?b" } as const;
    expect(describeAttempt(moved, 10)).toBe(
      "HTTP 301 redirect to https://new.example.com not followed: point the channel at the final URL",
    );
    expect(describeAttempt({ kind: "http", status: 302, location: "/relative" }, 10)).toBe(
      "HTTP 302 redirect not followed: point the channel at the final URL",
    );
  });

  it("gives up after the 8th failed attempt so the queue dead-letters the message", () => {
    expect(classifyDelivery(http(500), at(7)).action).toBe("retry");
    expect(classifyDelivery(http(500), at(8))).toEqual({
      action: "give_up",
      reason: "server_error",
      delay_seconds: 0,
    });
    expect(classifyDelivery(http(429), { ...at(3), policy: { max_attempts: 3 } }).action).toBe(
      "give_up",
    );
  });

  it("honours Retry-After in seconds and as an HTTP-date, over the computed backoff", () => {
    expect(classifyDelivery(http(429, "120"), at(1)).delay_seconds).toBe(120);
    const date = new Date(NOW + 90_000).toUTCString();
    expect(classifyDelivery(http(503, date), at(5)).delay_seconds).toBe(90);
  });

  it("caps Retry-After at one hour and waits at least one second", () => {
    expect(classifyDelivery(http(429, "86400"), at(1)).delay_seconds).toBe(3600);
    expect(classifyDelivery(http(429, "0"), at(1)).delay_seconds).toBe(1);
  });

  it("falls back to backoff when Retry-After is unreadable", () => {
    expect(classifyDelivery(http(429, "soon"), at(2)).delay_seconds).toBe(20);
    expect(classifyDelivery(http(429, "-5"), at(2)).delay_seconds).toBe(20);
  });
});

describe("backoff", () => {
  it("doubles from 10 s and stops growing at 15 minutes", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffSeconds(n));
    expect(delays).toEqual([10, 20, 40, 80, 160, 320, 640, 900, 900]);
  });

  it("applies equal jitter from an injected random source", () => {
    expect(backoffSeconds(3, undefined, () => 0)).toBe(20);
    expect(backoffSeconds(3, undefined, () => 0.5)).toBe(30);
    expect(backoffSeconds(3, undefined, () => 0.999999)).toBe(40);
    expect(classifyDelivery(http(500), { ...at(3), random: () => 0 }).delay_seconds).toBe(20);
  });
});

describe("Retry-After parsing", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("30", NOW)).toBe(30);
    expect(parseRetryAfter(" 7 ", NOW)).toBe(7);
  });

  it("reads an IMF-fixdate relative to now, rounding up, and a past date as 0", () => {
    expect(parseRetryAfter("Mon, 05 Jan 2026 09:02:00 GMT", NOW)).toBe(120);
    expect(parseRetryAfter("Mon, 05 Jan 2026 09:00:00 GMT", NOW + 500)).toBe(0);
    expect(parseRetryAfter("Mon, 05 Jan 2026 08:00:00 GMT", NOW)).toBe(0);
  });

  it("returns null for absent, empty, negative, fractional or garbage values", () => {
    for (const value of [null, undefined, "", "  ", "-1", "1.5", "soon", "12:00"]) {
      expect(parseRetryAfter(value, NOW)).toBeNull();
    }
  });
});

describe("secret masking", () => {
  it("keeps a Slack hook's host and public ids and masks its token but the last 4 characters", () => {
    expect(maskSecret("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXabcd")).toBe(
      "https://hooks.slack.com/services/T000/B000/****abcd",
    );
  });

  it("keeps only scheme and host of other URLs, dropping credentials", () => {
    expect(maskSecret("https://user:pass@example.com/hooks/secret-token-1234?sig=zz99")).toBe(
      "https://example.com/****zz99",
    );
    expect(maskSecret("http://localhost:8787/")).toBe("http://localhost:8787/****");
  });

  it("keeps the whsec_ prefix and the last 4 characters of a signing secret", () => {
    expect(maskSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe("whsec_****LaSw");
  });

  it("reveals nothing of a short secret", () => {
    expect(maskSecret("whsec_abcd")).toBe("whsec_****");
    expect(maskSecret("tok_12345")).toBe("****");
  });
});
