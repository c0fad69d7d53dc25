// Synthetic canary probes and their run history (src/probes).
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const PROBE_OUTCOMES = ["pass", "degraded", "fail", "error"] as const;

export const probesTable = sqliteTable(
  "probes",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").notNull(),
    /** The deployment its runs feed: `${projectId}:${environment}:${slug}`. */
    deploymentId: text("deployment_id").notNull(),
    /** The definition (src/probes/probe-schema.ts) without secret header values, as JSON. */
    definition: text("definition", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Secret header values, as a JSON object. Never returned by the API, never logged. */
    secretHeaders: text("secret_headers", { mode: "json" })
      .$type<Record<string, string>>()
      .notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    /** The earliest cron minute (epoch ms) the next run may start; claimed atomically. */
    nextRunAt: integer("next_run_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("probes_project_idx").on(t.projectId),
    index("probes_due_idx").on(t.enabled, t.nextRunAt),
  ],
);

export const probeRunsTable = sqliteTable(
  "probe_runs",
  {
    id: text("id").primaryKey(),
    probeId: text("probe_id").notNull(),
    projectId: text("project_id").notNull(),
    /** When the request started (epoch ms). */
    startedAt: integer("started_at").notNull(),
    outcome: text("outcome", { enum: PROBE_OUTCOMES }).notNull(),
    httpStatus: integer("http_status"),
    latencyMs: real("latency_ms"),
    ttftMs: real("ttft_ms"),
    score: real("score"),
    /** Why the run could not be judged (outcome = error), secrets redacted. */
    error: text("error"),
    /** Assertion results (src/probes/assertions.ts), as JSON. */
    assertions: text("assertions", { mode: "json" }).$type<Record<string, unknown>[]>().notNull(),
    /** The start of the answer, secrets redacted. */
    answerExcerpt: text("answer_excerpt"),
  },
  (t) => [index("probe_runs_probe_idx").on(t.probeId, t.startedAt)],
);
