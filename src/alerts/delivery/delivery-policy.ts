// What to do after a notification delivery attempt (retry, give up, disable), and secret masking.

export type DeliveryAttemptResult =
  | { kind: "http"; status: number; retry_after?: string | null; location?: string | null }
  | { kind: "network_error" }
  | { kind: "timeout" };

/**
 * - done: delivered.
 * - retry: transient failure; retry after delay_seconds.
 * - give_up: transient failure but the attempt budget is spent: let the queue dead-letter it
 *   (message.retry() past max_retries), so it is kept for replay rather than dropped.
 * - permanent_failure: the receiver rejected it (4xx) or redirected it (3xx, never
 *   followed: a redirect could lead anywhere, including private networks); retrying cannot help.
 * - disable_channel: 410 Gone: the endpoint no longer exists; stop sending to it.
 */
export type DeliveryAction = "done" | "retry" | "give_up" | "permanent_failure" | "disable_channel";

export type DeliveryReason =
  | "delivered"
  | "rate_limited"
  | "server_error"
  | "network_error"
  | "timeout"
  | "gone"
  | "redirected"
  | "rejected";

export interface DeliveryDecision {
  action: DeliveryAction;
  reason: DeliveryReason;
  /** Wait before the next attempt (0 unless action is "retry"). */
  delay_seconds: number;
}

export interface DeliveryPolicy {
  max_attempts: number;
  base_seconds: number;
  factor: number;
  cap_seconds: number;
  retry_after_cap_seconds: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  max_attempts: 8,
  base_seconds: 10,
  factor: 2,
  cap_seconds: 15 * 60,
  retry_after_cap_seconds: 60 * 60,
};

export interface DeliveryContext {
  /** 1-based number of the attempt that just ended. */
  attempt: number;
  /** Epoch ms, needed to read a Retry-After HTTP-date. */
  now: number;
  /** Returns [0, 1); when given, backoff uses "equal jitter" (half fixed, half random). */
  random?: () => number;
  policy?: Partial<DeliveryPolicy>;
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP-date; null if absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  // NOTE: only date-like text goes to Date.parse, which otherwise accepts strings like "1".
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Exponential backoff after `attempt` failures: base · factor^(attempt-1), capped. */
export function backoffSeconds(
  attempt: number,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
  random?: () => number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const full = Math.min(policy.cap_seconds, policy.base_seconds * policy.factor ** exponent);
  if (!random) return Math.round(full);
  return Math.round(full / 2 + (random() * full) / 2);
}

function reasonFor(result: DeliveryAttemptResult): DeliveryReason {
  if (result.kind !== "http") return result.kind;
  const { status } = result;
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 300 && status < 400) return "redirected";
  if (status === 410) return "gone";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "rejected";
}

/** Classifies one attempt. 2xx done; 429/5xx/network/timeout retry; 410 disables; other codes fail. */
export function classifyDelivery(
  result: DeliveryAttemptResult,
  context: DeliveryContext,
): DeliveryDecision {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...context.policy };
  const reason = reasonFor(result);
  if (reason === "delivered") return { action: "done", reason, delay_seconds: 0 };
  if (reason === "gone") return { action: "disable_channel", reason, delay_seconds: 0 };
  if (reason === "rejected" || reason === "redirected")
    return { action: "permanent_failure", reason, delay_seconds: 0 };
  if (context.attempt >= policy.max_attempts)
    return { action: "give_up", reason, delay_seconds: 0 };
  const header = result.kind === "http" ? result.retry_after : null;
  const retryAfter = parseRetryAfter(header, context.now);
  const delay =
    retryAfter === null
      ? backoffSeconds(context.attempt, policy, context.random)
      : // At least 1 s so a "Retry-After: 0" receiver cannot drain the budget in a burst.
        Math.min(Math.max(1, retryAfter), policy.retry_after_cap_seconds);
  return { action: "retry", reason, delay_seconds: delay };
}

/** What the delivery log says about a failed attempt; null for a delivered one. */
export function describeAttempt(
  result: DeliveryAttemptResult,
  timeoutSeconds: number,
): string | null {
  if (result.kind === "network_error") return "network error";
  if (result.kind === "timeout") return `no answer within ${timeoutSeconds} s`;
  const { status, location } = result;
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    let to = "";
    try {
      to = location ? ` to ${new URL(location).origin}` : "";
    } catch {
      // A relative or malformed Location: name no target.
    }
    return `HTTP ${status} redirect${to} not followed: point the channel at the final URL`;
  }
  return `HTTP ${status}`;
}

function maskTail(secret: string): string {
  // Short secrets show nothing: four characters of an eight-character token is too much.
  return secret.length >= 12 ? `****${secret.slice(-4)}` : "****";
}

/**
 * Masks a secret for API responses. whsec_ secrets keep the prefix; URLs keep scheme and host
 * (never userinfo) and, for Slack hooks, the public team and hook ids; the rest is hidden but
 * for its last four characters.
 */
export function maskSecret(value: string): string {
  if (value.startsWith("whsec_")) return `whsec_${maskTail(value.slice("whsec_".length))}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return maskTail(value);
  }
  const origin = `${url.protocol}//${url.host}`;
  const slack = /^(\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/)(.+)$/.exec(url.pathname);
  if (url.hostname === "hooks.slack.com" && slack?.[1] && slack[2]) {
    return `${origin}${slack[1]}${maskTail(slack[2] + url.search + url.hash)}`;
  }
  return `${origin}/${maskTail(url.pathname.slice(1) + url.search + url.hash)}`;
}
