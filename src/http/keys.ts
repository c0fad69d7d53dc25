// API key material: secrets, hashing, and a short-lived per-isolate lookup cache.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeysTable, type KeyScope, projectsTable } from "../db/schema";
import { base64Url } from "../shared/ids";
import type { AuthContext } from "./app-types";
import { LAST_USED_EVERY_MS } from "./key-limits";

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let hex = "";
  for (const b of new Uint8Array(digest)) hex += HEX[b];
  return hex;
}

/** A new secret: `dw_` + the primary scope + 32 random bytes. Shown once, stored hashed. */
export function newKeySecret(scopes: readonly KeyScope[]): string {
  const tag = scopes.includes("admin") ? "admin" : scopes.includes("read") ? "read" : "ingest";
  return `dw_${tag}_${base64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** Constant-time comparison for the root token. */
export function timingSafeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}

// NOTE: the caches are per isolate. A revocation clears the positive entry here at once;
// other isolates honour it within KEY_CACHE_TTL_MS.
const KEY_CACHE_TTL_MS = 30_000;
export const KEY_CACHE_MAX = 1_000;
// Unknown secrets are remembered briefly and apart from known keys, so a client retrying a
// wrong key asks D1 once per UNKNOWN_KEY_TTL_MS, and a stream of random keys evicts only
// other unknown keys, never a working key's entry. (Random keys are each new: what stops
// them reaching D1 is the failed-authentication limit per address, auth-failures.ts.)
const UNKNOWN_KEY_TTL_MS = 10_000;
export const UNKNOWN_KEY_CACHE_MAX = 1_000;

interface Cached<T> {
  value: T;
  expires: number;
}
const keyCache = new Map<string, Cached<AuthContext>>();
const unknownKeys = new Map<string, Cached<null>>();

/** Sets a bounded cache entry, evicting the oldest insertion when full (Maps keep order). */
function remember<T>(cache: Map<string, Cached<T>>, max: number, hash: string, entry: Cached<T>) {
  cache.delete(hash);
  if (cache.size >= max) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(hash, entry);
}

export function forgetKeyHash(hash: string): void {
  keyCache.delete(hash);
}

/**
 * Drops this isolate's cached keys of a project, whose context (its price overrides) changed:
 * the next request reads them again. Other isolates follow within KEY_CACHE_TTL_MS.
 */
export function forgetProjectKeys(projectId: string): void {
  for (const [hash, entry] of keyCache) {
    if (entry.value.projectId === projectId) keyCache.delete(hash);
  }
}

/**
 * A secret's cached answer without asking D1: the key's context, null for a secret known to
 * be unknown or revoked, undefined when nothing is cached.
 */
export async function cachedKey(
  secret: string,
  now = Date.now(),
): Promise<AuthContext | null | undefined> {
  const hash = await sha256Hex(secret);
  return cachedHash(hash, now);
}

function cachedHash(hash: string, now: number): AuthContext | null | undefined {
  const known = keyCache.get(hash);
  if (known && known.expires > now) return known.value;
  const unknown = unknownKeys.get(hash);
  if (unknown && unknown.expires > now) return null;
  return undefined;
}

/**
 * Resolves a secret to its project, scopes and limits; null when unknown or revoked. An
 * expired key still resolves, so the caller can say it expired instead of "unknown".
 */
export async function lookupKey(db: D1Database, secret: string): Promise<AuthContext | null> {
  const hash = await sha256Hex(secret);
  const now = Date.now();
  const hit = cachedHash(hash, now);
  if (hit !== undefined) return hit;
  const rows = await drizzle(db)
    .select({
      keyId: apiKeysTable.id,
      keyName: apiKeysTable.name,
      projectId: apiKeysTable.projectId,
      scopes: apiKeysTable.scopes,
      priceOverrides: projectsTable.priceOverrides,
      expiresAt: apiKeysTable.expiresAt,
      lastUsedAt: apiKeysTable.lastUsedAt,
      allowedOrigins: apiKeysTable.allowedOrigins,
      allowedDeployments: apiKeysTable.allowedDeployments,
    })
    .from(apiKeysTable)
    .innerJoin(projectsTable, eq(projectsTable.id, apiKeysTable.projectId))
    .where(and(eq(apiKeysTable.hash, hash), isNull(apiKeysTable.revokedAt)))
    .limit(1);
  const row = rows[0];
  if (!row) {
    remember(unknownKeys, UNKNOWN_KEY_CACHE_MAX, hash, {
      value: null,
      expires: now + UNKNOWN_KEY_TTL_MS,
    });
    return null;
  }
  const auth: AuthContext = { kind: "key", ...row };
  remember(keyCache, KEY_CACHE_MAX, hash, { value: auth, expires: now + KEY_CACHE_TTL_MS });
  return auth;
}

/**
 * Writes a key's last use. The WHERE makes it a no-op when another isolate wrote within the
 * minute, so at most one write a minute per key reaches D1's storage.
 */
export async function recordKeyUse(db: D1Database, keyId: string, now: number): Promise<void> {
  await drizzle(db)
    .update(apiKeysTable)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeysTable.id, keyId),
        or(
          isNull(apiKeysTable.lastUsedAt),
          lt(apiKeysTable.lastUsedAt, now - LAST_USED_EVERY_MS + 1),
        ),
      ),
    );
}
