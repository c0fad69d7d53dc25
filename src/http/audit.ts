// The audit entry of an HTTP change: the caller named from the request (key or root, and the
// request id), the row built by audit/audit-entry.ts for the route's D1 batch.
import type { SQL } from "drizzle-orm";
import type { Context } from "hono";
import { type Actor, auditInsert, auditInsertIf } from "../audit/audit-entry";
import type { AppEnv } from "./app-types";

/** Who made a change: "root" or "key:<id>". */
export function actorOf<E extends AppEnv>(c: Context<E>): string {
  const auth = c.get("auth");
  return auth.kind === "root" ? "root" : `key:${auth.keyId ?? "unknown"}`;
}

/** The caller as an audit entry records it: key id and name (or root) and the request id. */
export function whoOf<E extends AppEnv>(c: Context<E>): Actor {
  const auth = c.get("auth");
  return {
    actor: actorOf(c),
    actorName: auth.kind === "key" ? (auth.keyName ?? null) : null,
    requestId: c.get("requestId"),
  };
}

export function auditEntry<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  return auditInsert(c.env.DB, whoOf(c), { projectId, action, target, before, after });
}

/** auditEntry written only if `condition` holds when the batch runs (see auditInsertIf). */
export function auditEntryIf<E extends AppEnv>(
  c: Context<E>,
  condition: SQL,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  return auditInsertIf(c.env.DB, whoOf(c), condition, { projectId, action, target, before, after });
}
