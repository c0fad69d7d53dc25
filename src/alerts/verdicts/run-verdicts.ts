// The minute's release verdicts of one deployment (I/O shell around src/verdicts/): reads
// the arms from its Durable Object and the verdict rows from D1, starts an analysis for
// each new release combination (first seen within the arms' retention) or announced one
// once it serves, steps every pending analysis over the complete minutes it has not seen,
// and writes the rows back. Returns the analyses decided this minute (for notifications).
import { and, desc, eq, gte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  type ComboJson,
  type deploymentsTable,
  projectsTable,
  releasesTable,
  releaseVerdictsTable,
} from "../../db/schema";
import { ARM_RETENTION_MS, type Arm, type ArmWindow } from "../../monitor/arm-store";
import { publicOrigin } from "../../net/public-origin";
import { newRecordId } from "../../shared/ids";
import { MINUTE_MS } from "../../shared/time";
import {
  type AnalysisState,
  DEFAULT_VERDICT_OPTIONS,
  signalResults,
  startAnalysis,
  stepAnalysis,
  type VerdictOptions,
} from "../../verdicts";
import { releaseKey } from "../../window/aggregate";
import { analysisSignals, exceedanceThresholds } from "../../window/arm-counts";
import { armPairs, mergedArm } from "./arm-pairs";
import type { VerdictRow } from "./verdict-row";

export type { VerdictRow };

import { enabledChannels } from "../delivery/outbox";
import { outboxInserts, queueVerdictNotifications, verdictOutboxRows } from "./notify-verdicts";

type DeploymentRow = typeof deploymentsTable.$inferSelect;

const INCUMBENT_LOOKBACK_MS = 7 * 86_400_000;

/** What a started analysis keeps in its row's `analysis` column. */
export interface StoredAnalysis {
  incumbentKey: string;
  thresholds: Record<string, number>;
  state: AnalysisState;
}

export const comboJson = (c: Omit<ComboJson, "prompt_version"> & { promptVersion: string }) => ({
  model: c.model,
  provider: c.provider,
  prompt_version: c.promptVersion,
  release: c.release,
});

export const keyOfJson = (c: ComboJson) => releaseKey({ ...c, promptVersion: c.prompt_version });

/** Margins: the release's own (announced), else the project's, else the defaults. */
const optionsOf = (row: VerdictRow, projectMargins: Record<string, number>): VerdictOptions => ({
  ...DEFAULT_VERDICT_OPTIONS,
  margins: { ...projectMargins, ...(row.margins ?? {}) },
});

async function projectMarginsOf(db: D1Database, projectId: string) {
  const [p] = await drizzle(db)
    .select({ margins: projectsTable.verdictMargins })
    .from(projectsTable)
    .where(eq(projectsTable.id, projectId));
  return p?.margins ?? {};
}

/** The combination that served most traffic in the 7 days before `minute`. */
async function incumbentOf(db: D1Database, deploymentId: string, minute: number) {
  const [row] = await drizzle(db)
    .select()
    .from(releasesTable)
    .where(
      and(
        eq(releasesTable.deploymentId, deploymentId),
        gte(releasesTable.lastSeen, minute - INCUMBENT_LOOKBACK_MS),
      ),
    )
    .orderBy(desc(releasesTable.eventCount))
    .limit(1);
  return row ?? null;
}

/** Steps one row; the updated row (same object when nothing changed). */
function stepRow(
  row: VerdictRow,
  windows: Map<string, ArmWindow>,
  incumbentKey: string | null,
  upTo: number,
  now: number,
  projectMargins: Record<string, number>,
): VerdictRow {
  const options = optionsOf(row, projectMargins);
  const stored = row.analysis as StoredAnalysis | null;
  if (!stored) {
    const candidate = windows.get(row.candidateKey);
    const incumbent = incumbentKey ? windows.get(incumbentKey) : undefined;
    if (candidate?.minutes.length && incumbent?.minutes.length && incumbentKey) {
      // Thresholds from the incumbent's minutes so far; the comparison starts after them.
      const thresholds = exceedanceThresholds(mergedArm(incumbent));
      const state = startAnalysis(upTo, analysisSignals(thresholds));
      const analysis: StoredAnalysis = { incumbentKey, thresholds, state };
      const arm = incumbent.arm;
      return {
        ...row,
        incumbent: comboJson(arm),
        analysis: analysis as unknown as Record<string, unknown>,
        signals: signalResults(state, options),
        updatedAt: now,
      };
    }
    if (now - row.startedAt >= options.maxDurationMs) {
      return {
        ...row,
        state: "inconclusive",
        reason: "the candidate never served",
        decidedAt: now,
        updatedAt: now,
      };
    }
    return row;
  }
  const pairs = armPairs(
    windows.get(stored.incumbentKey),
    windows.get(row.candidateKey),
    stored.thresholds,
    stored.state.lastMinute ?? stored.state.startedAt - 1,
  ).filter((m) => m.minute < upTo);
  const state = stepAnalysis(stored.state, pairs, now, options);
  if (state === stored.state) return row;
  const results = signalResults(state, options);
  const counts = results.find((r) => r.metric === "error_rate");
  const total = (counts?.nIncumbent ?? 0) + (counts?.nCandidate ?? 0);
  return {
    ...row,
    state: state.state,
    reason: state.reason,
    decidedAt: state.decidedAt,
    updatedAt: now,
    analysis: { ...stored, state } as unknown as Record<string, unknown>,
    signals: results,
    share: total > 0 ? (counts?.nCandidate ?? 0) / total : null,
  };
}

/** The deployment's verdicts for `minute` (epoch ms, floored); idempotent per minute. */
export async function runVerdicts(
  env: Env,
  deployment: DeploymentRow,
  minute: number,
): Promise<VerdictRow[]> {
  const db = drizzle(env.DB);
  // Minutes before the last one are complete (the queue's stragglers had a minute).
  const upTo = minute - MINUTE_MS;
  const pending = await db
    .select()
    .from(releaseVerdictsTable)
    .where(
      and(
        eq(releaseVerdictsTable.deploymentId, deployment.id),
        eq(releaseVerdictsTable.state, "pending"),
      ),
    );
  const all = await env.DEPLOYMENT_MONITOR.getByName(deployment.id).armWindows({
    from: minute - ARM_RETENTION_MS,
    to: upTo,
  });
  const windows = new Map(all.filter((w) => !w.arm.pooled).map((w) => [w.arm.key, w]));
  const serving = [...windows.values()].filter((w) => w.minutes.length > 0);
  if (pending.length === 0 && serving.length < 2) return [];
  const incumbent = await incumbentOf(env.DB, deployment.id, minute);
  const incumbentKey = incumbent
    ? releaseKey({ ...incumbent, promptVersion: incumbent.promptVersion })
    : null;
  const projectMargins = await projectMarginsOf(env.DB, deployment.projectId);
  const fresh = await newCandidates(env.DB, deployment.id, serving, incumbentKey, minute);
  const rows = [...pending, ...fresh.map((arm) => newRow(deployment.id, arm, minute))];
  const changed = rows
    .map((row) => [row, stepRow(row, windows, incumbentKey, upTo, minute, projectMargins)] as const)
    .filter(
      ([before, after]) => before !== after || fresh.some((f) => f.key === after.candidateKey),
    );
  const decided = changed
    .map(([, row]) => row)
    .filter((r) => r.state !== "pending" && r.decidedAt === minute);
  const channels = decided.length > 0 ? await enabledChannels(env.DB, deployment.projectId) : [];
  const outbox = verdictOutboxRows(channels, deployment, decided, publicOrigin(env), minute);
  const upserts = changed.map(([, row]) =>
    db
      .insert(releaseVerdictsTable)
      .values(row)
      .onConflictDoUpdate({ target: releaseVerdictsTable.id, set: { ...row, id: undefined } }),
  );
  // One batch: a decision is stored exactly when its notifications are (the outbox).
  const [first, ...rest] = [...upserts, ...outboxInserts(env.DB, outbox)];
  if (first) await db.batch([first, ...rest]);
  if (outbox.length > 0) await queueVerdictNotifications(env, outbox, minute);
  return decided;
}

function newRow(deploymentId: string, arm: Arm, minute: number): VerdictRow {
  return {
    id: newRecordId("ver"),
    deploymentId,
    candidateKey: arm.key,
    candidate: comboJson(arm),
    incumbent: null,
    state: "pending",
    reason: null,
    startedAt: minute,
    decidedAt: null,
    updatedAt: minute,
    analysis: null,
    signals: [],
    share: null,
    gitSha: null,
    plannedShare: null,
    margins: null,
    announcedAt: null,
  };
}

/** Serving arms that are new releases (first seen within the arms' retention) without a verdict. */
async function newCandidates(
  db: D1Database,
  deploymentId: string,
  serving: ArmWindow[],
  incumbentKey: string | null,
  minute: number,
): Promise<Arm[]> {
  const out: Arm[] = [];
  for (const { arm } of serving) {
    if (arm.key === incumbentKey) continue;
    const [known] = await drizzle(db)
      .select({ id: releaseVerdictsTable.id })
      .from(releaseVerdictsTable)
      .where(
        and(
          eq(releaseVerdictsTable.deploymentId, deploymentId),
          eq(releaseVerdictsTable.candidateKey, arm.key),
        ),
      )
      .limit(1);
    if (known) continue;
    const [release] = await drizzle(db)
      .select({ firstSeen: releasesTable.firstSeen })
      .from(releasesTable)
      .where(
        and(
          eq(releasesTable.deploymentId, deploymentId),
          eq(releasesTable.model, arm.model),
          eq(releasesTable.provider, arm.provider),
          eq(releasesTable.promptVersion, arm.promptVersion),
          eq(releasesTable.release, arm.release),
        ),
      )
      .limit(1);
    if (release && release.firstSeen >= minute - ARM_RETENTION_MS) out.push(arm);
  }
  return out;
}
