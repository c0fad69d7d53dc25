// Release verdicts: one analysis per candidate release of a deployment against its
// incumbent (src/verdicts/, src/alerts/verdicts/), and the releases announced before their
// traffic (POST /v1/releases).
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { VERDICT_STATES } from "../../verdicts/analysis";

export { VERDICT_STATES };

/** A release combination as stored in JSON columns. */
export interface ComboJson {
  model: string;
  provider: string;
  prompt_version: string;
  release: string;
}

export const releaseVerdictsTable = sqliteTable(
  "release_verdicts",
  {
    id: text("id").primaryKey(),
    deploymentId: text("deployment_id").notNull(),
    /** releaseKey() of the candidate (src/window/aggregate.ts). */
    candidateKey: text("candidate_key").notNull(),
    candidate: text("candidate", { mode: "json" }).$type<ComboJson>().notNull(),
    /** null until the analysis starts (an announced release before its traffic). */
    incumbent: text("incumbent", { mode: "json" }).$type<ComboJson>(),
    state: text("state", { enum: VERDICT_STATES }).notNull(),
    reason: text("reason"),
    startedAt: integer("started_at").notNull(),
    decidedAt: integer("decided_at"),
    updatedAt: integer("updated_at").notNull(),
    /** The analysis state (src/verdicts/analysis.ts) and the exceedance thresholds, as JSON. */
    analysis: text("analysis", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The signals as last computed (SignalResult[]), as JSON. */
    signals: text("signals", { mode: "json" }).$type<unknown[]>().notNull(),
    /** Candidate share of the compared traffic. */
    share: real("share"),
    /** From an announcement: git sha, planned share, per-signal margins, labels. */
    gitSha: text("git_sha"),
    plannedShare: real("planned_share"),
    margins: text("margins", { mode: "json" }).$type<Record<string, number>>(),
    announcedAt: integer("announced_at"),
  },
  (t) => [
    index("release_verdicts_deployment_idx").on(t.deploymentId, t.startedAt),
    index("release_verdicts_candidate_idx").on(t.deploymentId, t.candidateKey),
    index("release_verdicts_state_idx").on(t.state),
  ],
);
