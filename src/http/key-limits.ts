// What a key's own settings allow: expiry, when its last use is worth writing, and the
// origins and deployments an ingest key may send for. Pure: the caller supplies the time.
import type { Rejection, ValidEvent } from "../ingest/parse-batch";

/** `last_used_at` is written at most this often per key (one D1 write a minute, not per request). */
export const LAST_USED_EVERY_MS = 60_000;

export function isExpired(expiresAt: number | null | undefined, now: number): boolean {
  return expiresAt != null && expiresAt <= now;
}

/** True when the stored last use is missing or at least a minute old. */
export function lastUseDue(lastUsedAt: number | null | undefined, now: number): boolean {
  return lastUsedAt == null || now - lastUsedAt >= LAST_USED_EVERY_MS;
}

/** The canonical form of an origin (`scheme://host[:port]`, lower case), or null if it is none. */
export function canonicalOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.origin === "null") return null;
    return url.origin.toLowerCase() === text.toLowerCase().replace(/\/$/, "") ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Whether a request's `Origin` may use the key. Without a list any origin may; without an
 * `Origin` header (servers, curl) the list does not apply: it guards browser beacons only.
 */
export function originAllowed(
  allowed: readonly string[] | null | undefined,
  origin: string | undefined,
): boolean {
  if (!allowed || origin === undefined) return true;
  const canonical = canonicalOrigin(origin);
  return canonical !== null && allowed.includes(canonical);
}

/**
 * An `allowed_deployments` entry as `environment/slug`. A bare slug means the production
 * environment: keys created before entries named their environment hold bare slugs, and
 * they keep meaning what a beacon without `environment` sends to.
 */
export function allowedEntry(entry: string, defaultEnvironment: string): string {
  return entry.includes("/") ? entry : `${defaultEnvironment}/${entry}`;
}

/** Splits valid events into those the key may send and per-event rejections for the rest. */
export function restrictDeployments(
  valid: readonly ValidEvent[],
  allowed: readonly string[] | null | undefined,
  defaultEnvironment: string,
): { valid: ValidEvent[]; rejected: Rejection[] } {
  if (!allowed) return { valid: [...valid], rejected: [] };
  const entries = allowed.map((entry) => allowedEntry(entry, defaultEnvironment));
  const names = new Set(entries);
  const kept: ValidEvent[] = [];
  const rejected: Rejection[] = [];
  for (const item of valid) {
    const name = `${item.event.environment ?? defaultEnvironment}/${item.event.deployment}`;
    if (names.has(name)) kept.push(item);
    else
      rejected.push({
        index: item.index,
        code: "deployment_not_allowed",
        path: "deployment",
        message: `this API key may not send events for deployment '${name}' (allowed: ${entries.join(", ")})`,
      });
  }
  return { valid: kept, rejected };
}
