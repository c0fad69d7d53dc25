// Tenants and their API keys. Keys are stored only as SHA-256 hashes.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { StatusPageSettings } from "../../projects/status-page-settings";

export const KEY_SCOPES = ["ingest", "read", "admin"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export const projectsTable = sqliteTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Raw events, deliveries, dead letters and resolved incidents older than this are deleted. */
  retentionDays: integer("retention_days").notNull().default(30),
  /** 1-hour rollups older than this are deleted (src/retention/purge-expired.ts); 1-minute ones after 48 h. */
  rollupRetentionDays: integer("rollup_retention_days").notNull().default(400),
  /** JSON object of per-project model price overrides, see ingest/prices.ts. */
  priceOverrides: text("price_overrides", { mode: "json" }).$type<
    Record<string, { input: number; output: number }>
  >(),
  /** The public status page's address (`/status/:slug`), unique; null while it has none. */
  statusSlug: text("status_slug").unique(),
  /** The public status page settings (src/projects/status-page-settings.ts) as JSON; null: off. */
  statusPage: text("status_page", { mode: "json" }).$type<StatusPageSettings>(),
  /**
   * Hex of 32 random bytes: the HMAC-SHA-256 key for user and session identifiers
   * (src/privacy). Never returned by a route nor written to the audit log. Null only
   * between migration 0009 and its backfill (0010), or if a row was written without one.
   */
  hashSecret: text("hash_secret"),
  /** Drop tag values that look like personal data at ingest (src/privacy/pii.ts). */
  dropPiiTags: integer("drop_pii_tags", { mode: "boolean" }).notNull().default(false),
  /** Keep a few example events (ids and non-text fields) per outcome for incidents (src/window/example-sample.ts). */
  keepExamples: integer("keep_examples", { mode: "boolean" }).notNull().default(false),
  /** IANA time zone in which budget days and months begin (src/spend/period.ts). */
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Per-signal release verdict margins replacing the defaults (src/verdicts/signals.ts); null: defaults. */
  verdictMargins: text("verdict_margins", { mode: "json" }).$type<Record<string, number>>(),
  createdAt: integer("created_at").notNull(),
});

export const apiKeysTable = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projectsTable.id),
    name: text("name").notNull(),
    /** Hex SHA-256 of the secret; the secret itself is shown once and never stored. */
    hash: text("hash").notNull().unique(),
    /** First characters of the secret, to tell keys apart in listings. */
    prefix: text("prefix").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<KeyScope[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    /** Epoch ms after which the key answers 401 "expired"; null: never expires. */
    expiresAt: integer("expires_at"),
    /** Epoch ms of the last authenticated request, written at most once a minute per key. */
    lastUsedAt: integer("last_used_at"),
    /** Ingest keys only: the browser origins allowed to send with it; null: any. */
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>(),
    /** Ingest keys only: the deployment slugs it may send events for; null: any. */
    allowedDeployments: text("allowed_deployments", { mode: "json" }).$type<string[]>(),
  },
  (t) => [index("api_keys_project_idx").on(t.projectId)],
);
