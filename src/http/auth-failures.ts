// Failed authentication per client address. Every unknown or malformed key costs a D1
// lookup (a random key is never cached), so a flood of them is limited per address with
// the Workers Rate Limiting binding AUTH_FAILURE_RATE_LIMIT, keyed by CF-Connecting-IP.
// Past the limit the address gets 429 with Retry-After until the binding's window ends, and
// until then its requests are answered from this isolate without asking D1 or the binding:
// only a key this isolate already knows gets through (a shared NAT address keeps working
// for clients with a valid key). If the binding fails, failures are answered 401 as usual.
import { rateLimited, windowEnd } from "./rate-limit";

/** wrangler.toml's `simple.period` for AUTH_FAILURE_RATE_LIMIT. */
export const AUTH_FAILURE_PERIOD_SECONDS = 10;
const MAX_TRACKED_ADDRESSES = 10_000;
const WHY = "Too many failed authentication attempts from this address";

/** Address → refused until (ms). */
const blocked = new Map<string, number>();

/**
 * The client address Cloudflare puts in CF-Connecting-IP (a client cannot set it at the
 * edge). Absent only in local runs without the proxy; such requests are not limited.
 */
export function clientAddress(header: string | undefined): string | null {
  const address = header?.trim();
  return address ? address : null;
}

/** The 429 for an address refused at `now`, or null when it may try. */
export function blockedAddress(address: string | null, now = Date.now()) {
  if (address === null) return null;
  const until = blocked.get(address);
  if (until === undefined) return null;
  if (now < until) return rateLimited(until, now, WHY);
  blocked.delete(address);
  return null;
}

/**
 * Counts one failed authentication of `address`. Returns the 429 to answer instead of the
 * 401 when the address is past its limit, else null.
 */
export async function countAuthFailure(
  limiter: RateLimit | undefined,
  address: string | null,
  now = Date.now(),
) {
  if (!limiter || address === null) return null;
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key: address }));
  } catch (err) {
    console.error("auth failure limiter failed; answering 401", err);
    return null;
  }
  if (success) return null;
  if (blocked.size >= MAX_TRACKED_ADDRESSES) {
    // Evict the oldest block, so a flood from many addresses cannot lift the others.
    const oldest = blocked.keys().next();
    if (!oldest.done) blocked.delete(oldest.value);
  }
  const until = windowEnd(now, AUTH_FAILURE_PERIOD_SECONDS);
  blocked.set(address, until);
  return rateLimited(until, now, WHY);
}
