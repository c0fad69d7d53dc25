// Dashboard sign-in sessions. The cookie carries a random token; only its hash is stored,
// with the key it was opened with (revoking the key ends the session).
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { type KeyScope, projectsTable } from "./projects";

export const sessionsTable = sqliteTable(
  "dashboard_sessions",
  {
    /** Hex SHA-256 of the cookie's token. */
    hash: text("hash").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projectsTable.id),
    keyId: text("key_id").notNull(),
    /** The key's scopes when the session opened ("read" or "admin" decides the buttons). */
    scopes: text("scopes", { mode: "json" }).$type<KeyScope[]>().notNull(),
    /** Echoed in every form of the session and checked on each POST. */
    csrf: text("csrf").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("dashboard_sessions_expires_idx").on(t.expiresAt)],
);
