// Incident updates written by people (status and a short plain text), shown on the incident's
// timeline on the public status page, its Atom feed and its Statuspage v2 JSON.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Statuspage's incident statuses, in the order an incident usually goes through them. */
export const INCIDENT_UPDATE_STATUSES = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
] as const;

export const incidentUpdatesTable = sqliteTable(
  "incident_updates",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    incidentId: text("incident_id").notNull(),
    status: text("status", { enum: INCIDENT_UPDATE_STATUSES }).notNull(),
    /** Plain text, at most 2,000 characters, no control characters but line breaks. */
    body: text("body").notNull(),
    /** Who wrote it: "root" or "key:<id>" (as in the audit log). */
    author: text("author").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("incident_updates_incident_idx").on(t.incidentId, t.createdAt)],
);
