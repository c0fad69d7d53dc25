// The release comparison page's data: the deployment's verdicts (D1) and the two picked
// arms' minutes (the Durable Object's arm store, 2 h), as per-minute rates per signal.
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { mergedArm } from "../../alerts/verdicts/arm-pairs";
import type { VerdictRow } from "../../alerts/verdicts/verdict-row";
import { releaseVerdictsTable } from "../../db/schema";
import { ARM_RETENTION_MS, type ArmWindow, unpackArmBucket } from "../../monitor/arm-store";
import { MINUTE_MS, minuteOf } from "../../shared/time";
import { analysisSignals, armCounts, exceedanceThresholds } from "../../window/arm-counts";
import type { Point } from "../geometry";

/** A verdict's signal as run-verdicts stores it (SignalResult of src/verdicts/analysis.ts). */
export interface StoredSignal {
  metric: string;
  incumbent: number | null;
  candidate: number | null;
  difference: number | null;
  ci: [number, number] | null;
  margin: number;
  decision: string;
  nIncumbent: number;
  nCandidate: number;
}

export const signalsOf = (v: VerdictRow) => v.signals as StoredSignal[];

export interface ArmOption {
  key: string;
  label: string;
}

export interface ArmSeries {
  signal: string;
  incumbent: Point[];
  candidate: Point[];
}

/** The deployment's verdicts, newest first (at most 50). */
export const deploymentVerdicts = (db: D1Database, deploymentId: string): Promise<VerdictRow[]> =>
  drizzle(db)
    .select()
    .from(releaseVerdictsTable)
    .where(eq(releaseVerdictsTable.deploymentId, deploymentId))
    .orderBy(desc(releaseVerdictsTable.startedAt))
    .limit(50);

/** "prompt v14 · gpt-4o" from a combination's non-empty labels. */
export function comboLabel(c: {
  model: string;
  provider: string;
  prompt_version?: string;
  promptVersion?: string;
  release: string;
}): string {
  const prompt = c.prompt_version ?? c.promptVersion ?? "";
  const parts = [
    c.release ? `release ${c.release}` : "",
    prompt ? `prompt ${prompt}` : "",
    c.model,
    c.provider,
  ].filter((p) => p !== "");
  return parts.length > 0 ? parts.join(" · ") : "(unlabelled)";
}

/** The live arms of the deployment's arm store, last 2 h. */
export async function armWindows(env: Env, deploymentId: string, now: number) {
  const to = minuteOf(now) + MINUTE_MS;
  const all = await env.DEPLOYMENT_MONITOR.getByName(deploymentId).armWindows({
    from: to - ARM_RETENTION_MS,
    to,
  });
  return all.filter((w) => !w.arm.pooled);
}

/**
 * Per signal, each arm's rate minute by minute (null where an arm had no observation),
 * against thresholds fixed from the incumbent's minutes as the analysis does.
 */
export function armSeries(incumbent: ArmWindow | undefined, candidate: ArmWindow | undefined) {
  const thresholds = exceedanceThresholds(mergedArm(incumbent));
  const signals = analysisSignals(thresholds);
  const rates = (w: ArmWindow | undefined) =>
    (w?.minutes ?? []).map((m) => ({
      t: m.minute,
      counts: armCounts(unpackArmBucket(m.data), thresholds),
    }));
  const a = rates(incumbent);
  const b = rates(candidate);
  const point = (t: number, c: { x: number; n: number } | undefined): Point => ({
    t,
    v: c && c.n > 0 ? c.x / c.n : null,
  });
  return signals
    .map(
      (signal): ArmSeries => ({
        signal,
        incumbent: a.map((m) => point(m.t, m.counts[signal])),
        candidate: b.map((m) => point(m.t, m.counts[signal])),
      }),
    )
    .filter((s) => [...s.incumbent, ...s.candidate].some((p) => p.v !== null));
}
