// Authentication middleware: the root ADMIN_TOKEN or a project API key with a scope.
import type { Context, MiddlewareHandler } from "hono";
import type { KeyScope } from "../db/schema";
import type { AppEnv, AuthContext } from "./app-types";
import { ApiError } from "./errors";
import { lookupKey, timingSafeEqual } from "./keys";
import { checkKeyRate, consultEveryOf } from "./rate-limit";
import { scopeCovers } from "./scopes";

interface AuthOptions {
  /** Scope a project key needs (an admin key also has read). Root passes every check. */
  scope: KeyScope;
  /** Accept `?key=` (sendBeacon cannot set headers); only ever for ingest. */
  allowQueryKey?: boolean;
  /** Only the root token may call this route. */
  rootOnly?: boolean;
}

function bearerOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new ApiError("unauthorized", "Authorization header must be 'Bearer <key>'");
  return match[1];
}

export function requireAuth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const queryKey = c.req.query("key");
    const secret = bearerOf(c) ?? (options.allowQueryKey ? queryKey : undefined);
    if (!secret) {
      const hint =
        queryKey !== undefined
          ? "API keys in the query string are accepted only by the ingest endpoints"
          : "Missing API key: send 'Authorization: Bearer <key>'";
      throw new ApiError("unauthorized", hint);
    }
    const adminToken = c.env.ADMIN_TOKEN;
    let auth: AuthContext | null;
    if (adminToken && timingSafeEqual(secret, adminToken)) {
      auth = { kind: "root", scopes: ["ingest", "read", "admin"] };
    } else {
      auth = await lookupKey(c.env.DB, secret);
    }
    if (!auth) throw new ApiError("unauthorized", "Unknown or revoked API key");
    if (options.rootOnly && auth.kind !== "root") {
      throw new ApiError("forbidden", "This route needs the root ADMIN_TOKEN");
    }
    if (!scopeCovers(auth.scopes, options.scope)) {
      throw new ApiError("forbidden", `This API key lacks the '${options.scope}' scope`);
    }
    await checkKeyRate(c.env.KEY_RATE_LIMIT, auth, consultEveryOf(c.env.RATE_LIMIT_CONSULT_EVERY));
    c.set("auth", auth);
    await next();
  };
}

/** The project a request acts on: the key's own, or (root only) an explicit one. */
export function projectOf(c: Context<AppEnv>, explicit?: string): string {
  const auth = c.get("auth");
  if (auth.kind === "root") {
    if (!explicit) throw new ApiError("bad_request", "The root token must name a project");
    return explicit;
  }
  if (!auth.projectId) throw new ApiError("forbidden", "This key belongs to no project");
  if (explicit && explicit !== auth.projectId) {
    throw new ApiError("forbidden", "This API key belongs to another project");
  }
  return auth.projectId;
}
