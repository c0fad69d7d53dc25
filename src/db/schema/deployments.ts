// Monitored AI services and the release change markers seen in their events.
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { projectsTable } from "./projects";

export const deploymentsTable = sqliteTable(
  "deployments",
  {
    /** `${projectId}:${environment}:${slug}`, also the Durable Object name. */
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projectsTable.id),
    environment: text("environment").notNull(),
    slug: text("slug").notNull(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
  },
  (t) => [uniqueIndex("deployments_identity_idx").on(t.projectId, t.environment, t.slug)],
);

export const releasesTable = sqliteTable(
  "releases",
  {
    deploymentId: text("deployment_id").notNull(),
    model: text("model").notNull().default(""),
    provider: text("provider").notNull().default(""),
    promptVersion: text("prompt_version").notNull().default(""),
    release: text("release").notNull().default(""),
    /** Earliest event timestamp seen with this combination. */
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    eventCount: integer("event_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("releases_identity_idx").on(
      t.deploymentId,
      t.model,
      t.provider,
      t.promptVersion,
      t.release,
    ),
    index("releases_deployment_idx").on(t.deploymentId, t.firstSeen),
  ],
);

/**
 * Which API key's events created a deployment, written when ingest admits a new one (before
 * the queue consumer inserts it into `deployments`): each key may create only its share of
 * the project's deployments (src/ingest/deployment-cap.ts), so a leaked public key cannot
 * exhaust the budget. A row whose deployment was deleted stops counting once its
 * deployment is gone (and it is older than the consumer's delay).
 */
export const deploymentCreatorsTable = sqliteTable(
  "deployment_creators",
  {
    projectId: text("project_id").notNull(),
    environment: text("environment").notNull(),
    slug: text("slug").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.environment, t.slug] }),
    index("deployment_creators_key_idx").on(t.projectId, t.keyId),
  ],
);
