// Authentication middleware: the root ADMIN_TOKEN or a project API key with a scope.
import type { Context, MiddlewareHandler } from "hono";
import type { KeyScope } from "../db/schema";
import type { AppEnv, AuthContext } from "./app-types";
import { blockedAddress, clientAddress, countAuthFailure } from "./auth-failures";
import { ApiError } from "./errors";
import { isExpired, lastUseDue, originAllowed } from "./key-limits";
import { cachedKey, lookupKey, recordKeyUse, timingSafeEqual } from "./keys";
import { checkKeyRate, consultEveryOf } from "./rate-limit";
import { scopeCovers } from "./scopes";

/** The secret a request presents, or the 401 for a malformed or missing one. */
function secretOf(c: Context<AppEnv>, allowQueryKey: boolean): string {
  const queryKey = c.req.query("key");
  const header = c.req.header("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1])
      throw new ApiError("unauthorized", "Authorization header must be 'Bearer <key>'");
    return match[1];
  }
  if (allowQueryKey && queryKey) return queryKey;
  throw new ApiError(
    "unauthorized",
    queryKey !== undefined
      ? "API keys in the query string are accepted only by the ingest endpoints"
      : "Missing API key: send 'Authorization: Bearer <key>'",
  );
}

/**
 * The root token or a project key. Secrets that reach D1 and fail count against the
 * client's address (auth-failures.ts); a refused address gets 429 and no lookup at all.
 */
async function authenticate(
  c: Context<AppEnv>,
  options: { allowQueryKey?: boolean },
): Promise<AuthContext> {
  const secret = secretOf(c, options.allowQueryKey ?? false);
  const adminToken = c.env.ADMIN_TOKEN;
  if (adminToken && timingSafeEqual(secret, adminToken)) {
    return { kind: "root", scopes: ["ingest", "read", "admin"] };
  }
  return projectKeyOf(c, secret);
}

/**
 * A project key's context for `secret`: 401 when unknown, revoked or expired. Unknown
 * secrets count against the client's address, and a refused address gets 429 without a
 * lookup (only keys this isolate knows pass). The API and the dashboard's sign-in share it.
 */
export async function projectKeyOf(c: Context<AppEnv>, secret: string): Promise<AuthContext> {
  const address = clientAddress(c.req.header("cf-connecting-ip"));
  const refused = blockedAddress(address);
  if (refused) {
    const known = await cachedKey(secret);
    if (known) return unexpired(known);
    throw refused;
  }
  const auth = await lookupKey(c.env.DB, secret);
  if (auth) return unexpired(auth);
  const limited = await countAuthFailure(c.env.AUTH_FAILURE_RATE_LIMIT, address);
  throw limited ?? new ApiError("unauthorized", "Unknown or revoked API key");
}

function unexpired(auth: AuthContext, now = Date.now()): AuthContext {
  if (isExpired(auth.expiresAt, now)) {
    const at = new Date(auth.expiresAt ?? now).toISOString();
    throw new ApiError("unauthorized", `This API key expired at ${at}; rotate or create a key`);
  }
  return auth;
}

/**
 * Records the key's use after the response, at most once a minute per key and isolate: the
 * cached context remembers the time written, so the next minute's requests skip the write.
 */
function touch(c: Context<AppEnv>, auth: AuthContext, now = Date.now()): void {
  if (auth.kind !== "key" || !auth.keyId || !lastUseDue(auth.lastUsedAt, now)) return;
  auth.lastUsedAt = now;
  const write = recordKeyUse(c.env.DB, auth.keyId, now).catch((error: unknown) => {
    console.error("recording a key's last use failed", error);
  });
  c.executionCtx.waitUntil(write);
}

/**
 * Authenticates once per request: the key (or root), its allowed origins and its rate.
 * Sets `c.var.auth`; scopes are checked per route (requireScope). A second authenticated()
 * matching the same request (routers sharing a path prefix) reuses the first answer, so
 * the order routers are mounted in changes nothing.
 */
export function authenticated(
  options: { allowQueryKey?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("auth") === undefined) await admit(c, await authenticate(c, options));
    await next();
  };
}

async function admit(c: Context<AppEnv>, auth: AuthContext): Promise<void> {
  const origin = c.req.header("origin");
  if (!originAllowed(auth.allowedOrigins, origin)) {
    throw new ApiError(
      "forbidden",
      `Origin '${origin}' is not among this API key's allowed origins`,
    );
  }
  await checkKeyRate(c.env.KEY_RATE_LIMIT, auth, consultEveryOf(c.env.RATE_LIMIT_CONSULT_EVERY));
  c.set("auth", auth);
  touch(c, auth);
}

/** Who may call a route: a key with this scope (admin implies read), or only the root token. */
export type Access = KeyScope | "root";

/** 403 unless the authenticated caller has `access`. */
export function checkAccess(auth: AuthContext, access: Access): void {
  if (access === "root") {
    if (auth.kind !== "root")
      throw new ApiError("forbidden", "This route needs the root ADMIN_TOKEN");
    return;
  }
  if (!scopeCovers(auth.scopes, access)) {
    throw new ApiError("forbidden", `This API key lacks the '${access}' scope`);
  }
}

/** Per-route access check, after authenticated() on the router. */
export function requireScope(access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkAccess(c.get("auth"), access);
    await next();
  };
}

/** The project a request acts on: the key's own, or (root only) an explicit one. */
export function projectOf<E extends AppEnv>(c: Context<E>, explicit?: string): string {
  const auth = c.get("auth");
  if (auth.kind === "root") {
    if (!explicit) {
      throw new ApiError("bad_request", "The root token must name a project (?project=)");
    }
    return explicit;
  }
  if (!auth.projectId) throw new ApiError("forbidden", "This key belongs to no project");
  if (explicit && explicit !== auth.projectId) {
    throw new ApiError("forbidden", "This API key belongs to another project");
  }
  return auth.projectId;
}
