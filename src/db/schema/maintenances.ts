// Scheduled maintenance windows a team announces on its status page: while one runs, the
// deployments it names show "under maintenance" and their alerts are not sent.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A deployment a window covers, as the status page settings name it. */
export interface MaintenanceTarget {
  environment: string;
  slug: string;
}

export const maintenancesTable = sqliteTable(
  "maintenances",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    title: text("title").notNull(),
    /** Plain text, the rules of written incident updates (src/alerts/incidents/update-text.ts). */
    body: text("body").notNull(),
    /** Epoch ms; the window is [startsAt, endsAt). */
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    deployments: text("deployments", { mode: "json" }).$type<MaintenanceTarget[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("maintenances_project_idx").on(t.projectId, t.endsAt)],
);
