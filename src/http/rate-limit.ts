// Per-key request budget: no API key can send more than its rate. The
// Workers Rate Limiting binding KEY_RATE_LIMIT counts each API key's requests per
// Cloudflare location over its period; past the budget the API answers 429 with
// Retry-After, which the SDK honours. The root token is not limited.
//
// The binding is consulted once per `consultEvery` requests of a key in this isolate, and
// each consultation stands for that many requests: wrangler.toml's limit of 625 per 10 s
// at the default 16 is a budget of 10,000 requests per 10 s. A key the binding refuses is
// refused here until the period's window ends, without asking again. So the request path
// pays for one binding call per 16 requests instead of one each, and a key gets at most
// 15 requests past its budget per isolate and period. If the binding fails, requests pass:
// a limiter outage must not drop telemetry.
import type { AuthContext } from "./app-types";
import { ApiError } from "./errors";

/** wrangler.toml's `simple.period` for KEY_RATE_LIMIT. */
export const RATE_LIMIT_PERIOD_SECONDS = 10;
export const DEFAULT_CONSULT_EVERY = 16;
const MAX_TRACKED_KEYS = 10_000;

interface KeyState {
  /** Requests the last consultation stood for that are not used yet. */
  prepaid: number;
  /** Refused until this time (ms), when the binding's window rolls over. */
  blockedUntil: number;
}

const keys = new Map<string, KeyState>();

/** The 429 for a caller refused until `blockedUntil` (ms): `why` starts the message. */
export function rateLimited(
  blockedUntil: number,
  now: number,
  why = "This API key is over its request budget",
): ApiError {
  const retryAfterSeconds = Math.ceil((blockedUntil - now) / 1000);
  return new ApiError(
    "rate_limited",
    `${why}; retry after ${retryAfterSeconds} s`,
    { retry_after_seconds: retryAfterSeconds },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/** The end (ms) of the clock-aligned window of `periodSeconds` that holds `now`. */
export function windowEnd(now: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return (Math.floor(now / periodMs) + 1) * periodMs;
}

/** The env var's value as a whole number ≥ 1, or the default. */
export function consultEveryOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_CONSULT_EVERY;
}

export async function checkKeyRate(
  limiter: RateLimit | undefined,
  auth: AuthContext,
  consultEvery: number,
  now = Date.now(),
): Promise<void> {
  if (!limiter || auth.kind !== "key" || !auth.keyId) return;
  let state = keys.get(auth.keyId);
  if (!state) {
    if (keys.size >= MAX_TRACKED_KEYS) keys.clear();
    state = { prepaid: 0, blockedUntil: 0 };
    keys.set(auth.keyId, state);
  }
  if (now < state.blockedUntil) throw rateLimited(state.blockedUntil, now);
  if (state.prepaid > 0) {
    state.prepaid -= 1;
    return;
  }
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key: auth.keyId }));
  } catch (err) {
    console.error("rate limiter failed; letting the request through", err);
    return;
  }
  if (success) {
    state.prepaid = consultEvery - 1;
    return;
  }
  // The binding's windows are aligned to the clock: refuse until the current one ends.
  state.blockedUntil = windowEnd(now, RATE_LIMIT_PERIOD_SECONDS);
  throw rateLimited(state.blockedUntil, now);
}
