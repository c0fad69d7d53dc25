// Drift alerting: baselines, rules, channels, incidents, check results, deliveries,
// and the audit log of configuration changes.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

export const BASELINE_KINDS = ["range", "release"] as const;

/** Pinned baselines: a captured window summary (encoded bucket) to compare against. */
export const baselinesTable = sqliteTable(
  "baselines",
  {
    id: text("id").primaryKey(),
    deploymentId: text("deployment_id").notNull(),
    kind: text("kind", { enum: BASELINE_KINDS }).notNull(),
    label: text("label").notNull(),
    from: integer("from").notNull(),
    to: integer("to").notNull(),
    /** The release filter used for kind = release, as JSON. */
    release: text("release", { mode: "json" }).$type<Record<string, string>>(),
    /** The merged bucket, as encodeBucket() output. */
    data: text("data").notNull(),
    count: integer("count").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("baselines_deployment_idx").on(t.deploymentId)],
);

/** Custom rules, and overrides of default rules (same id as the default). */
export const rulesTable = sqliteTable(
  "rules",
  {
    id: text("id").notNull(),
    projectId: text("project_id").notNull(),
    /** The rule definition (src/alerts/rules/rule-schema.ts) as JSON. */
    definition: text("definition", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.id] })],
);

export const CHANNEL_TYPES = ["slack", "webhook"] as const;

export const channelsTable = sqliteTable(
  "channels",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    type: text("type", { enum: CHANNEL_TYPES }).notNull(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** whsec_ signing secret for generic webhooks. Never returned in full. */
    secret: text("secret"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("channels_project_idx").on(t.projectId)],
);

// "inactive": a pending episode that cleared without firing (kept for its state, never listed).
export const INCIDENT_STATUSES = ["inactive", "pending", "firing", "resolved"] as const;

export const incidentsTable = sqliteTable(
  "incidents",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    deploymentId: text("deployment_id").notNull(),
    ruleId: text("rule_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status", { enum: INCIDENT_STATUSES }).notNull(),
    severity: text("severity").notNull(),
    /** The incident-machine state (src/alerts/incidents/incident-machine.ts) as JSON. */
    state: text("state", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The latest check result that drove it, as JSON. */
    lastCheck: text("last_check", { mode: "json" }).$type<Record<string, unknown>>(),
    startedAt: integer("started_at").notNull(),
    firingAt: integer("firing_at"),
    resolvedAt: integer("resolved_at"),
    ackedAt: integer("acked_at"),
    silencedUntil: integer("silenced_until"),
    updatedAt: integer("updated_at").notNull(),
    /** Shown on the public status page (PATCH /v1/incidents/{id} with public: false hides it). */
    public: integer("public", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    index("incidents_project_idx").on(t.projectId, t.status, t.startedAt),
    // At most one open (pending or firing) incident per fingerprint.
    uniqueIndex("incidents_open_idx").on(t.fingerprint).where(sql`status != 'resolved'`),
  ],
);

/** One row per deployment, rule and evaluated minute: the drift score time series. */
export const checkResultsTable = sqliteTable(
  "check_results",
  {
    deploymentId: text("deployment_id").notNull(),
    ruleId: text("rule_id").notNull(),
    minute: integer("minute").notNull(),
    outcome: text("outcome").notNull(),
    value: real("value"),
    baselineValue: real("baseline_value"),
    statistic: real("statistic"),
    threshold: real("threshold"),
    message: text("message").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.ruleId, t.minute] }),
    index("check_results_minute_idx").on(t.minute),
  ],
);

export const DELIVERY_STATUSES = [
  "pending",
  "retrying",
  "delivered",
  "failed",
  "dead_letter",
] as const;

export const deliveriesTable = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    channelId: text("channel_id").notNull(),
    /** Incident ids carried by this grouped notification, as a JSON array. */
    incidentIds: text("incident_ids", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    /** The payload as sent, for the delivery log. */
    payload: text("payload").notNull(),
    /**
     * When a sender handed the row to the NOTIFICATIONS queue: null while it waits in the
     * outbox (src/alerts/delivery/outbox.ts); a lease that expires if the send never happened.
     */
    queuedAt: integer("queued_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("deliveries_project_idx").on(t.projectId, t.createdAt),
    // The outbox: rows no consumer has attempted yet.
    index("deliveries_outbox_idx").on(t.queuedAt).where(sql`status = 'pending'`),
  ],
);

export const auditLogTable = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: text("project_id").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    at: integer("at").notNull(),
    /** The key's name when it made the change; null for the root token (and older entries). */
    actorName: text("actor_name"),
    /** The request that made the change (cf-ray on Cloudflare); null for older entries. */
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_project_idx").on(t.projectId, t.at),
    // Retention deletes by age across projects (src/retention/purge-expired.ts).
    index("audit_at_idx").on(t.at),
  ],
);
