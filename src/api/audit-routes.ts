// GET /v1/audit: the caller's project's audit entries, newest first, filtered and paged by
// an opaque cursor. Admin scope: entries show configuration before and after each change.
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { auditLogTable } from "../db/schema";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor";
import { maskAuditValue } from "./audit-mask";
import { projectOf, requireAuth } from "./auth";
import { ApiError } from "./errors";
import { validate } from "./validate";

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

const AuditQuery = z.strictObject({
  /** Only the root token uses it: which project to read. */
  project: z.string().optional(),
  target: z.string().min(1).max(256).optional(),
  /** As stored: `root` or `key:<key id>`. */
  actor: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(128).optional(),
  /** Epoch ms, inclusive. */
  since: z.coerce.number().int().min(0).optional(),
  /** Epoch ms, exclusive. */
  until: z.coerce.number().int().min(0).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
});

type AuditRow = typeof auditLogTable.$inferSelect;
const entryView = (row: AuditRow) => ({
  id: row.id,
  actor: row.actor,
  action: row.action,
  target: row.target,
  before: maskAuditValue(row.before),
  after: maskAuditValue(row.after),
  at: row.at,
});

export const auditLog = new Hono<AppEnv>().get(
  "/",
  requireAuth({ scope: "admin" }),
  validate("query", AuditQuery),
  async (c) => {
    const query = c.req.valid("query");
    const projectId = projectOf(c, query.project);
    const conditions: SQL[] = [eq(auditLogTable.projectId, projectId)];
    if (query.cursor !== undefined) {
      const lastId = decodeAuditCursor(query.cursor);
      if (lastId === null) {
        throw new ApiError("validation_failed", "Invalid query", {
          issues: [{ path: "cursor", message: "not a cursor from a previous page's next_cursor" }],
        });
      }
      conditions.push(lt(auditLogTable.id, lastId));
    }
    if (query.target !== undefined) conditions.push(eq(auditLogTable.target, query.target));
    if (query.actor !== undefined) conditions.push(eq(auditLogTable.actor, query.actor));
    if (query.action !== undefined) conditions.push(eq(auditLogTable.action, query.action));
    if (query.since !== undefined) conditions.push(gte(auditLogTable.at, query.since));
    if (query.until !== undefined) conditions.push(lt(auditLogTable.at, query.until));
    // One row past the page says whether another page exists.
    const rows = await drizzle(c.env.DB)
      .select()
      .from(auditLogTable)
      .where(and(...conditions))
      .orderBy(desc(auditLogTable.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const more = rows.length > query.limit && last !== undefined;
    return c.json({
      entries: page.map(entryView),
      next_cursor: more ? encodeAuditCursor(last.id) : null,
    });
  },
);
