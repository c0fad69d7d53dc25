// Audit-log rows, one per configuration change: who, what, before and after. Each function
// gives the INSERT for the caller's D1 batch, so the change and its entry commit together or
// not at all; auditInsertIf does the same for a change guarded by a condition.
// The HTTP routes reach these through http/audit.ts, which names the caller from the request.
import { type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditLogTable } from "../db/schema";

/** Who made a change, as the entry records it. */
export interface Actor {
  /** "root" or "key:<id>". */
  actor: string;
  /** The key's name as it was when the change was made; null for the root token. */
  actorName: string | null;
  requestId: string;
}

/** What changed: the action, its target, and the target before and after. */
export interface AuditChange {
  projectId: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

const entryRow = (who: Actor, change: AuditChange) => ({
  projectId: change.projectId,
  actor: who.actor,
  action: change.action,
  target: change.target,
  before: change.before ?? null,
  after: change.after ?? null,
  at: Date.now(),
  actorName: who.actorName,
  requestId: who.requestId,
});

export function auditInsert(db: D1Database, who: Actor, change: AuditChange) {
  return drizzle(db).insert(auditLogTable).values(entryRow(who, change));
}

const jsonOrNull = (value: unknown) => (value == null ? null : JSON.stringify(value));

/**
 * auditInsert for a change guarded by `condition` (e.g. "the row is still as read"): written
 * only if `condition` holds when the batch runs. Put it BEFORE the guarded statement in the
 * same batch, with the same condition, so the entry exists exactly when the change does.
 */
export function auditInsertIf(db: D1Database, who: Actor, condition: SQL, change: AuditChange) {
  const r = entryRow(who, change);
  // A NULL id lets SQLite assign the next one; the values follow the table's column order.
  return drizzle(db)
    .insert(auditLogTable)
    .select(
      sql`SELECT NULL, ${r.projectId}, ${r.actor}, ${r.action}, ${r.target}, ${jsonOrNull(r.before)}, ${jsonOrNull(r.after)}, ${r.at}, ${r.actorName}, ${r.requestId} WHERE ${condition}`,
    );
}
