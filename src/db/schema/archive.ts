// How far retention has expired each deployment's raw-event archive in R2
// (src/archive/expire.ts). A deployment without a row has expired nothing yet.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const archiveExpiryTable = sqliteTable("archive_expiry", {
  deploymentId: text("deployment_id").primaryKey(),
  /** Epoch ms: every archived hour that ends at or before it has been deleted. */
  expiredTo: integer("expired_to").notNull(),
});
