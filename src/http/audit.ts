// Audit-log rows, one per configuration change: who, what, before and after. auditEntry gives
// the INSERT for the caller's D1 batch, so the change and its entry commit together or not at
// all; auditEntryIf does the same for a change guarded by a condition.
import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { auditLogTable } from "../db/schema";
import type { AppEnv } from "./app-types";

/** Who made a change: "root" or "key:<id>". */
export function actorOf<E extends AppEnv>(c: Context<E>): string {
  const auth = c.get("auth");
  return auth.kind === "root" ? "root" : `key:${auth.keyId ?? "unknown"}`;
}

/** The entry's row: who (key id and name, or root), what, before and after, which request, when. */
function entryRow<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  const auth = c.get("auth");
  return {
    projectId,
    actor: actorOf(c),
    action,
    target,
    before: before ?? null,
    after: after ?? null,
    at: Date.now(),
    // The key's name as it was when the change was made; null for the root token.
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
  return drizzle(c.env.DB)
    .insert(auditLogTable)
    .values(entryRow(c, projectId, action, target, before, after));
}

const jsonOrNull = (value: unknown) => (value == null ? null : JSON.stringify(value));

/**
 * auditEntry for a change guarded by `condition` (e.g. "the row is still as read"): written
 * only if `condition` holds when the batch runs. Put it BEFORE the guarded statement in the
 * same batch, with the same condition, so the entry exists exactly when the change does.
 */
export function auditEntryIf<E extends AppEnv>(
  c: Context<E>,
  condition: SQL,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  const r = entryRow(c, projectId, action, target, before, after);
  // A NULL id lets SQLite assign the next one; the values follow the table's column order.
  return drizzle(c.env.DB)
    .insert(auditLogTable)
    .select(
      sql`SELECT NULL, ${r.projectId}, ${r.actor}, ${r.action}, ${r.target}, ${jsonOrNull(r.before)}, ${jsonOrNull(r.after)}, ${r.at}, ${r.actorName}, ${r.requestId} WHERE ${condition}`,
    );
}
