// Readers subscribed to a public status page: a webhook (Statuspage's payload shape, signed
// with Standard Webhooks) or a Slack incoming webhook, confirmed by a challenge before the
// first real notification, and the page events already announced to them (one row per
// event, so each is announced once).
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const SUBSCRIBER_KINDS = ["webhook", "slack"] as const;
/** pending: challenge sent, not confirmed; active: confirmed; unsubscribed: gone (kept for the hour's count). */
export const SUBSCRIBER_STATUSES = ["pending", "active", "unsubscribed"] as const;

export const statusSubscribersTable = sqliteTable(
  "status_subscribers",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    kind: text("kind", { enum: SUBSCRIBER_KINDS }).notNull(),
    url: text("url").notNull(),
    /** whsec_ signing secret of a webhook subscriber (shown once, when subscribing). */
    secret: text("secret"),
    /** The token of its confirm and unsubscribe links. */
    token: text("token").notNull(),
    /** Component ids (`environment/slug`) it follows; null: the whole page. */
    components: text("components", { mode: "json" }).$type<string[]>(),
    status: text("status", { enum: SUBSCRIBER_STATUSES }).notNull(),
    /** SHA-256 (hex, 16 bytes) of the address that subscribed, for the per-address limit. */
    addressHash: text("address_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    confirmedAt: integer("confirmed_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("status_subscribers_project_idx").on(t.projectId, t.status),
    index("status_subscribers_address_idx").on(t.addressHash, t.createdAt),
  ],
);

/** A page event (incident opened, update written, resolved, maintenance started or over) once announced. */
export const statusAnnouncementsTable = sqliteTable(
  "status_announcements",
  {
    projectId: text("project_id").notNull(),
    /** e.g. `inc_…:opened`, `inc_…:upd_…`, `mnt_…:completed`. */
    eventKey: text("event_key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.eventKey] })],
);
