// Retry timing: exponential backoff with full jitter, and the Retry-After header.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/** Full jitter: uniform in [0, min(cap, base·2^attempt)). */
export const backoffDelay = (attempt: number, random: () => number): number =>
  random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);

/** Retry-After as delta-seconds or an HTTP-date; undefined when absent or unparsable. */
export const retryAfterMs = (header: string | null, now: number): number | undefined => {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};
