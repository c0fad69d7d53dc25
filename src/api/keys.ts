// API key material: generation, hashing, and a short-lived per-isolate lookup cache.
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeysTable, type KeyScope, projectsTable } from "../db/schema";
import type { AuthContext } from "./app-types";

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A new secret: `dw_` + the primary scope + 32 random bytes. Shown once, stored hashed. */
export function newKeySecret(scopes: readonly KeyScope[]): string {
  const tag = scopes.includes("admin") ? "admin" : scopes.includes("read") ? "read" : "ingest";
  return `dw_${tag}_${base64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function newId(prefix: string): string {
  return `${prefix}_${base64Url(crypto.getRandomValues(new Uint8Array(12)))}`;
}

/** Constant-time comparison for the root token. */
export function timingSafeEqual(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  let diff = ea.length ^ eb.length;
  for (let i = 0; i < Math.max(ea.length, eb.length); i++) diff |= (ea[i] ?? 0) ^ (eb[i] ?? 0);
  return diff === 0;
}

// NOTE: the cache is per isolate. A revocation clears it here at once; other
// isolates honour it within KEY_CACHE_TTL_MS.
const KEY_CACHE_TTL_MS = 30_000;
const KEY_CACHE_MAX = 1_000;
const keyCache = new Map<string, { auth: AuthContext | null; expires: number }>();

export function forgetKeyHash(hash: string): void {
  keyCache.delete(hash);
}

export function clearKeyCache(): void {
  keyCache.clear();
}

/** Resolves a secret to its project and scopes; null when unknown or revoked. */
export async function lookupKey(db: D1Database, secret: string): Promise<AuthContext | null> {
  const hash = await sha256Hex(secret);
  const now = Date.now();
  const hit = keyCache.get(hash);
  if (hit && hit.expires > now) return hit.auth;
  const rows = await drizzle(db)
    .select({
      keyId: apiKeysTable.id,
      projectId: apiKeysTable.projectId,
      scopes: apiKeysTable.scopes,
      priceOverrides: projectsTable.priceOverrides,
    })
    .from(apiKeysTable)
    .innerJoin(projectsTable, eq(projectsTable.id, apiKeysTable.projectId))
    .where(and(eq(apiKeysTable.hash, hash), isNull(apiKeysTable.revokedAt)))
    .limit(1);
  const row = rows[0];
  const auth: AuthContext | null = row ? { kind: "key", ...row } : null;
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(hash, { auth, expires: now + KEY_CACHE_TTL_MS });
  return auth;
}
