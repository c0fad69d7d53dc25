// GET /v1/audit: the caller's project's audit entries, newest first, filtered and paged by
// an opaque cursor. Admin scope: entries show configuration before and after each change.
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditLogTable } from "../../db/schema";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";
import { decodeAuditCursor, encodeAuditCursor } from "./cursor";
import { maskAuditValue } from "./mask";

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

const AuditQuery = ProjectQuery.extend({
  target: z.string().min(1).max(256).optional().meta({ description: "A resource id" }),
  actor: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .meta({ description: "As stored: `root` or `key:<key id>`" }),
  action: z.string().min(1).max(128).optional().meta({ description: "e.g. `rule.update`" }),
  since: z.coerce.number().int().min(0).optional().meta({ description: "Epoch ms, inclusive" }),
  until: z.coerce.number().int().min(0).optional().meta({ description: "Epoch ms, exclusive" }),
  cursor: z.string().max(64).optional().meta({ description: "A previous page's `next_cursor`" }),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
});

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    actor: z.string().meta({ description: "`root` or `key:<key id>`" }),
    actor_name: z.string().nullable().meta({
      description: "The key's name when it made the change; null for the root token",
    }),
    action: z.string(),
    target: z.string(),
    before: z.unknown().meta({ description: "The resource before the change (secrets masked)" }),
    after: z.unknown().meta({ description: "The resource after the change (secrets masked)" }),
    at: z.number().int().meta({ description: "Epoch milliseconds" }),
    request_id: z.string().nullable().meta({
      description: "The request that made the change (its `x-request-id` answer header)",
    }),
  })
  .meta({ id: "AuditEntry" });

type AuditRow = typeof auditLogTable.$inferSelect;
const toEntry = (row: AuditRow) =>
  fromRow(AuditEntrySchema, {
    ...row,
    before: maskAuditValue(row.before),
    after: maskAuditValue(row.after),
  });

const listAudit = apiRoute({
  method: "get",
  path: "/",
  access: "admin",
  tags: ["Audit log"],
  summary: "List the project's audit entries, newest first",
  description:
    "Every configuration change, written in the same D1 batch as the change. Filters combine; " +
    "pages follow `next_cursor` (null on the last page) without duplicates or gaps.",
  request: { query: AuditQuery },
  responses: {
    200: {
      description: "One page of entries",
      content: json(
        z.object({ entries: z.array(AuditEntrySchema), next_cursor: z.string().nullable() }),
      ),
    },
  },
});

export const auditLog = projectRouter().openapi(listAudit, async (c) => {
  const query = c.req.valid("query");
  const conditions: SQL[] = [eq(auditLogTable.projectId, c.var.projectId)];
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
  return c.json(
    { entries: page.map(toEntry), next_cursor: more ? encodeAuditCursor(last.id) : null },
    200,
  );
});
