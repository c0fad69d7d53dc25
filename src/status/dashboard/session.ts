// Dashboard sessions: signing in with a read or admin key opens a session whose random
// token travels in an HttpOnly, SameSite=Strict cookie (Secure outside local development);
// the key itself is never stored in the browser. Every POST must come from our own origin
// and, once signed in, carry the session's CSRF token. A session lasts 12 hours, never past
// its key's expiry, and every request re-checks the key (revoked or expired ends it).
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { apiKeysTable, type KeyScope, projectsTable, sessionsTable } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { sha256Hex, timingSafeEqual } from "../../http/keys";
import { HOUR_MS } from "../../shared/time";

export const SESSION_TTL_MS = 12 * HOUR_MS;

export interface Session {
  projectId: string;
  /** The project's name, shown in the header (the id is for machines). */
  projectName: string;
  keyId: string;
  /** The key's current name (audit entries show it beside the key id). */
  keyName: string;
  scopes: KeyScope[];
  csrf: string;
  hash: string;
}

const randomToken = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
};

/** Local development serves plain http on 127.0.0.1, where a Secure cookie would be dropped. */
function isSecure(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === "https:" || c.env.ENVIRONMENT !== "development";
}

/** `__Host-` pins the cookie to this host and path "/" (it requires Secure). */
const cookieName = (c: Context<AppEnv>) => (isSecure(c) ? "__Host-dw_session" : "dw_session");

export async function openSession(
  c: Context<AppEnv>,
  key: {
    projectId: string;
    keyId: string;
    scopes: readonly KeyScope[];
    expiresAt?: number | null | undefined;
  },
  now = Date.now(),
): Promise<void> {
  const token = randomToken();
  const expiresAt = sessionExpiry(now, key.expiresAt);
  const db = drizzle(c.env.DB);
  await db.batch([
    db.insert(sessionsTable).values({
      hash: await sha256Hex(token),
      projectId: key.projectId,
      keyId: key.keyId,
      scopes: [...key.scopes],
      csrf: randomToken(),
      createdAt: now,
      expiresAt,
    }),
    auditEntry(c, key.projectId, "dashboard.sign_in", key.keyId, null, {
      scopes: key.scopes,
      session_expires_at: expiresAt,
    }),
  ]);
  setCookie(c, cookieName(c), token, {
    httpOnly: true,
    secure: isSecure(c),
    sameSite: "Strict",
    path: "/",
    maxAge: Math.max(1, Math.floor((expiresAt - now) / 1000)),
  });
}

/** When a session opened at `now` ends: 12 hours later, or when its key expires if sooner. */
export function sessionExpiry(now: number, keyExpiresAt: number | null | undefined): number {
  const full = now + SESSION_TTL_MS;
  return keyExpiresAt == null ? full : Math.min(full, keyExpiresAt);
}

/**
 * The session of this request, if its cookie is valid, unexpired, and its key neither
 * revoked nor expired now (a rotation's `old_key_expires_at` may have moved the expiry
 * after sign-in, so the key's row is read on every request, not copied into the session).
 */
export async function readSession(c: Context<AppEnv>): Promise<Session | null> {
  const token = getCookie(c, cookieName(c));
  if (!token) return null;
  const hash = await sha256Hex(token);
  const now = Date.now();
  const [row] = await drizzle(c.env.DB)
    .select({
      projectId: sessionsTable.projectId,
      projectName: projectsTable.name,
      keyId: sessionsTable.keyId,
      keyName: apiKeysTable.name,
      scopes: sessionsTable.scopes,
      csrf: sessionsTable.csrf,
    })
    .from(sessionsTable)
    .innerJoin(apiKeysTable, eq(apiKeysTable.id, sessionsTable.keyId))
    .innerJoin(projectsTable, eq(projectsTable.id, sessionsTable.projectId))
    .where(
      and(
        eq(sessionsTable.hash, hash),
        gt(sessionsTable.expiresAt, now),
        isNull(apiKeysTable.revokedAt),
        or(isNull(apiKeysTable.expiresAt), gt(apiKeysTable.expiresAt, now)),
      ),
    );
  return row ? { ...row, hash } : null;
}

/** Ends the session (audited as the session's key, which the caller has set on `c`). */
export async function closeSession(c: Context<AppEnv>, session: Session | null): Promise<void> {
  if (session) {
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(sessionsTable).where(eq(sessionsTable.hash, session.hash)),
      auditEntry(c, session.projectId, "dashboard.sign_out", session.keyId, null, null),
    ]);
  }
  deleteCookie(c, cookieName(c), { path: "/", secure: isSecure(c) });
}

/**
 * A state-changing request must come from a page of ours: browsers send Origin on every
 * POST (and Sec-Fetch-Site where Origin is absent); anything else is refused.
 */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("origin");
  if (origin) return origin === new URL(c.req.url).origin;
  return c.req.header("sec-fetch-site") === "same-origin";
}

export function csrfValid(session: Session, sent: unknown): boolean {
  return typeof sent === "string" && timingSafeEqual(sent, session.csrf);
}

export const canAct = (s: Session) => s.scopes.includes("admin");
export const canView = (scopes: readonly KeyScope[]) =>
  scopes.includes("read") || scopes.includes("admin");
