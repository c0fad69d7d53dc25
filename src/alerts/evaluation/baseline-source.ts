// Reads what one evaluation compares (I/O shell around baseline-plan.ts): the windows and
// the baseline from the deployment's Durable Object (a pinned one from D1), the release
// change, and how ready the baseline is (also for the window and checks answers).
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { baselinesTable, type deploymentsTable, releasesTable } from "../../db/schema";
import { HOUR_MS, hourOf, MINUTE_MS, minuteOf } from "../../shared/time";
import { type Bucket, decodeBucket, emptyBucket, mergeBuckets } from "../../window/bucket";
import {
  decodeSegments,
  emptySegments,
  mergeSegments,
  type SegmentCounts,
} from "../../window/segment-counts";
import {
  decodeMoments,
  emptyMoments,
  mergeMoments,
  type SegmentMoments,
} from "../../window/segment-moments";
import { readUsers } from "../../window/segment-users";
import { loadRules } from "../rules/effective-rules";
import { ruleMatches } from "../rules/rule-match";
import type { Rule } from "../rules/rule-schema";
import { type BaselineReadiness, baselinePlan, baselineReadiness } from "./baseline-plan";
import { latestReleaseChange, ROLLING_BASELINE_MS } from "./baseline-ranges";
import type { CheckInput } from "./check-result";

type DeploymentRow = typeof deploymentsTable.$inferSelect;

/** The sample the comparison tests need in the baseline: the largest min_samples. */
function neededEvents(rules: readonly Rule[]): number {
  const compared = rules.filter((r) => r.test !== "static" && r.test !== "traffic_drop");
  return Math.max(1, ...compared.map((r) => r.min_samples));
}

export async function loadBaseline(
  env: Env,
  deployment: DeploymentRow,
  minute: number,
  rules: readonly Rule[],
) {
  const windows = [...new Set(rules.map((r) => r.window_minutes))];
  const longest = Math.max(15, ...windows);
  const db = drizzle(env.DB);
  // The most recently seen combinations (a deployment's object keeps at most 50 live ones;
  // replaced ones stay in D1 until retention), oldest first.
  const releases = (
    await db
      .select()
      .from(releasesTable)
      .where(eq(releasesTable.deploymentId, deployment.id))
      .orderBy(desc(releasesTable.lastSeen))
      .limit(200)
  ).sort((a, b) => a.firstSeen - b.firstSeen);
  const change = latestReleaseChange(releases, minute);
  const plan = baselinePlan(minute, deployment.firstSeen, longest, change);
  const [pinned] = await db
    .select()
    .from(baselinesTable)
    .where(and(eq(baselinesTable.deploymentId, deployment.id), eq(baselinesTable.active, true)));
  const lastWeek = hourOf(minute - ROLLING_BASELINE_MS);
  const stub = env.DEPLOYMENT_MONITOR.getByName(deployment.id);
  const encoded = await stub.windows([
    ...windows.map((m) => ({
      from: minute - m * MINUTE_MS,
      to: minute,
      resolution: "1m" as const,
    })),
    { from: lastWeek, to: lastWeek + HOUR_MS, resolution: "1h" },
    ...(pinned ? [] : plan.pieces),
  ]);
  const current = new Map(windows.map((m, i) => [m, encoded[i]]));
  const lastWeekWindow = encoded[windows.length];
  const pieces = encoded.slice(windows.length + 1);
  // The hours a rolling or release baseline spans: the sequential detector's rate profiles.
  const hours = { from: plan.from, to: hourOf(plan.to) };
  let rolling: { bucket: Bucket; minutes: number; hours?: { from: number; to: number } } | null =
    null;
  if (pieces.some((p) => p.buckets > 0)) {
    const bucket = emptyBucket();
    let minutes = 0;
    for (const p of pieces) {
      if (p.buckets === 0) continue;
      mergeBuckets(bucket, decodeBucket(p.data));
      minutes += p.resolution === "1h" ? p.buckets * 60 : p.buckets;
    }
    // Never more minutes than the deployment has lived in the range (a partial first hour).
    const lived = (plan.to - Math.max(plan.from, deployment.firstSeen)) / MINUTE_MS;
    rolling = {
      bucket,
      minutes: Math.max(1, Math.min(minutes, Math.ceil(lived))),
      ...(plan.source === "bootstrap" ? {} : { hours }),
    };
  }
  // Segment counts of the rolling baseline (a pinned baseline keeps none: segments are then
  // held to its overall rate, src/drift/segment-excess.ts).
  const baselineSegments = pinned || rolling === null ? null : mergedSegments(pieces);
  const baselineMoments = pinned || rolling === null ? null : mergedMoments(pieces);
  const baseline = pinned
    ? {
        bucket: decodeBucket(pinned.data),
        minutes: Math.max(1, (pinned.to - pinned.from) / 60_000),
      }
    : rolling;
  const lastWeekCount =
    lastWeekWindow && lastWeekWindow.buckets > 0
      ? decodeBucket(lastWeekWindow.data).counters.count
      : null;
  const input = (minutes: number): CheckInput => {
    const w = current.get(minutes);
    return {
      current: w ? decodeBucket(w.data) : emptyBucket(),
      segments: {
        current: mergedSegments(w ? [w] : []),
        baseline: baselineSegments,
        users: readUsers(w?.users),
        moments: { current: mergedMoments(w ? [w] : []), baseline: baselineMoments },
      },
      baseline: baseline?.bucket ?? null,
      currentMinutes: minutes,
      baselineMinutes: baseline?.minutes ?? 0,
      ...(lastWeekCount === null
        ? {}
        : { baselineVolumePerMinute: lastWeekCount / (HOUR_MS / 60_000) }),
    };
  };
  const recent = current.get(longest);
  const readiness: BaselineReadiness = baselineReadiness({
    source: pinned ? "pinned" : plan.source,
    events: baseline?.bucket.counters.count ?? 0,
    needed: neededEvents(rules),
    minute,
    firstSeen: deployment.firstSeen,
    windowMinutes: longest,
    perMinute: recent ? decodeBucket(recent.data).counters.count / longest : 0,
  });
  // The sequential detectors restart when what they compare with changes: another pinned
  // baseline, a release (the baseline then restarts from the release too), or the end of
  // the bootstrap.
  const source = pinned
    ? `pinned:${pinned.id}`
    : plan.source === "bootstrap"
      ? "bootstrap"
      : "rolling";
  const key = `${source}|${change?.first_seen_at ?? ""}`;
  return { input, change, releases, baseline, key, readiness };
}

/** The segment counts of several encoded windows, merged (a row that does not decode counts as none). */
function mergedSegments(windows: readonly { segments?: string }[]): SegmentCounts {
  const out = emptySegments();
  for (const w of windows) {
    try {
      mergeSegments(out, decodeSegments(w.segments ?? ""));
    } catch {
      // Segments only explain an alert; the check itself never depends on them.
    }
  }
  return out;
}

/** The segment moments of several encoded windows, merged (as mergedSegments). */
function mergedMoments(windows: readonly { moments?: string }[]): SegmentMoments {
  const out = emptyMoments();
  for (const w of windows) {
    try {
      mergeMoments(out, decodeMoments(w.moments ?? ""));
    } catch {
      // Moments only explain an alert, like the segment counts.
    }
  }
  return out;
}

/** The baseline the checks compare with now (pinned or rolling; null before any) and how ready it is. */
export async function currentBaseline(
  env: Env,
  deployment: DeploymentRow,
  now: number,
): Promise<{ readiness: BaselineReadiness; bucket: Bucket | null }> {
  const rules = (await loadRules(env.DB, deployment.projectId)).filter(
    (r) => r.enabled && ruleMatches(r, deployment),
  );
  const { readiness, baseline } = await loadBaseline(env, deployment, minuteOf(now), rules);
  return { readiness, bucket: baseline?.bucket ?? null };
}

/** How ready the deployment's baseline is now, for the window and checks answers. */
export async function currentReadiness(
  env: Env,
  deployment: DeploymentRow,
  now: number,
): Promise<BaselineReadiness> {
  return (await currentBaseline(env, deployment, now)).readiness;
}
