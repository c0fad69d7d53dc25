// Project and deployment deletions: requested by the API, finished by the tick in
// bounded batches (src/deletion/). The row outlives the data as a tombstone, so
// events still in the queue for a deleted target are dropped, not re-created.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const DELETION_KINDS = ["project", "deployment"] as const;
export type DeletionKind = (typeof DELETION_KINDS)[number];

export const deletionsTable = sqliteTable(
  "deletions",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: DELETION_KINDS }).notNull(),
    projectId: text("project_id").notNull(),
    /** The deployment's id for kind = deployment; null for a whole project. */
    deploymentId: text("deployment_id"),
    actor: text("actor").notNull(),
    requestedAt: integer("requested_at").notNull(),
    completedAt: integer("completed_at"),
  },
  // The ingest insert looks tombstones up by project for every event it stores.
  (t) => [index("deletions_project_idx").on(t.projectId, t.deploymentId)],
);
