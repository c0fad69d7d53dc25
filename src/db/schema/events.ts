// Legacy raw events and claims, rollups and dead letters.
//
// LEGACY: `events` and `claims` are how events were stored and counted before exactly-once
// counting moved into the Durable Objects (src/monitor/ledger/) and raw events into R2.
// Nothing writes them any more; the cron tick drains them (src/queue/legacy-drain.ts), and
// a later migration drops them once they are empty (docs/operations.md).
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const EVENT_TYPES = ["interaction", "feedback"] as const;

export const eventsTable = sqliteTable(
  "events",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    deploymentId: text("deployment_id").notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    ts: integer("ts").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** The normalised event as JSON (few columns keep D1 inserts to one bound parameter). */
    data: text("data").notNull(),
    /** The claim that stored this event; it was counted once that claim was gone from claims. */
    claim: integer("claim").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index("events_received_idx").on(t.receivedAt),
    index("events_claim_idx").on(t.claim),
  ],
);

/** Legacy: claims not yet counted in their deployments' windows when the old consumer died. */
export const claimsTable = sqliteTable("claims", {
  token: integer("token").primaryKey(),
  createdAt: integer("created_at").notNull(),
});

export const ROLLUP_RESOLUTIONS = ["1m", "1h"] as const;

export const rollupsTable = sqliteTable(
  "rollups",
  {
    deploymentId: text("deployment_id").notNull(),
    resolution: text("resolution", { enum: ROLLUP_RESOLUTIONS }).notNull(),
    bucketStart: integer("bucket_start").notNull(),
    count: integer("count").notNull(),
    /** Status `error` only, as the error-rate rule counts; other statuses are in `summary`. */
    errorCount: integer("error_count").notNull(),
    feedbackUp: integer("feedback_up").notNull(),
    feedbackDown: integer("feedback_down").notNull(),
    latencyP50: real("latency_p50"),
    latencyP95: real("latency_p95"),
    costUsd: real("cost_usd").notNull(),
    /** The bucket's full summary (rates, quantiles, mixes) as JSON. */
    summary: text("summary").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.resolution, t.bucketStart] }),
    // Retention deletes by age across deployments (src/retention/purge-expired.ts).
    index("rollups_expiry_idx").on(t.resolution, t.bucketStart),
  ],
);

export const deadLettersTable = sqliteTable("dead_letters", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  queue: text("queue").notNull(),
  messageId: text("message_id").notNull(),
  attempts: integer("attempts").notNull(),
  eventCount: integer("event_count").notNull(),
  body: text("body").notNull(),
  /** Why it was dead-lettered, when known (e.g. a malformed body). */
  reason: text("reason"),
  receivedAt: integer("received_at").notNull(),
});
