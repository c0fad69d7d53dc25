// One deployment's evaluation for one minute (I/O shell around the pure engine):
// windows and baseline from its Durable Object, rules from D1, check results and
// incident states and their notifications to D1 in one batch (commit-evaluation.ts).
import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { baselinesTable, type deploymentsTable, releasesTable } from "../../db/schema";
import { faultPoint } from "../../fault-points";
import { decodeBucket, emptyBucket } from "../../monitor/bucket";
import { publicOrigin } from "../../net/public-origin";
import { HOUR_MS } from "../../shared/time";
import { loadRules } from "../rules/effective-rules";
import type { Rule } from "../rules/rule-schema";
import { evaluationRanges, latestReleaseChange } from "./baseline-ranges";
import type { CheckInput, CheckResult } from "./check-result";
import { commitEvaluation } from "./commit-evaluation";
import { evaluateRules, ruleMatches } from "./evaluate";
import { releaseInfo } from "./release-info";
import { sequentialReadings } from "./sequential-io";

type DeploymentRow = typeof deploymentsTable.$inferSelect;

export interface EvaluationSummary {
  deploymentId: string;
  checks: number;
  breaches: number;
  notifications: number;
}

async function baselineFor(env: Env, deployment: DeploymentRow, minute: number, windows: number[]) {
  const db = drizzle(env.DB);
  // The most recently seen combinations (a deployment's object keeps at most 50 live ones;
  // replaced ones stay in D1 until retention).
  const releases = (
    await db
      .select()
      .from(releasesTable)
      .where(eq(releasesTable.deploymentId, deployment.id))
      .orderBy(desc(releasesTable.lastSeen))
      .limit(200)
  ).sort((a, b) => a.firstSeen - b.firstSeen);
  const change = latestReleaseChange(releases, minute);
  const ranges = evaluationRanges(minute, windows, change);
  const [pinned] = await db
    .select()
    .from(baselinesTable)
    .where(and(eq(baselinesTable.deploymentId, deployment.id), eq(baselinesTable.active, true)));
  const stub = env.DEPLOYMENT_MONITOR.getByName(deployment.id);
  const encoded = await stub.windows([
    ...ranges.windows.map((w) => ({ from: w.from, to: w.to, resolution: "1m" as const })),
    { ...ranges.baseline, resolution: "1h" },
    { ...ranges.sameHourLastWeek, resolution: "1h" },
  ]);
  const current = new Map(ranges.windows.map((w, i) => [w.minutes, encoded[i]]));
  const rolling = encoded[ranges.windows.length];
  const lastWeek = encoded[ranges.windows.length + 1];
  const baseline = pinned
    ? {
        bucket: decodeBucket(pinned.data),
        minutes: Math.max(1, (pinned.to - pinned.from) / 60_000),
      }
    : rolling && rolling.buckets > 0
      ? { bucket: decodeBucket(rolling.data), minutes: rolling.buckets * 60 }
      : null;
  const lastWeekCount =
    lastWeek && lastWeek.buckets > 0 ? decodeBucket(lastWeek.data).counters.count : null;
  const input = (minutes: number): CheckInput => {
    const w = current.get(minutes);
    return {
      current: w ? decodeBucket(w.data) : emptyBucket(),
      baseline: baseline?.bucket ?? null,
      currentMinutes: minutes,
      baselineMinutes: baseline?.minutes ?? 0,
      ...(lastWeekCount === null
        ? {}
        : { baselineVolumePerMinute: lastWeekCount / (HOUR_MS / 60_000) }),
    };
  };
  // The sequential detectors restart when what they compare with changes: another pinned
  // baseline, or a release (the rolling baseline then restarts from the release too).
  const key = `${pinned ? `pinned:${pinned.id}` : "rolling"}|${change?.first_seen_at ?? ""}`;
  return { input, change, releases, baseline, key };
}

/** Evaluates one deployment at `minute` (epoch ms, floored). Idempotent per minute. */
export async function evaluateDeployment(
  env: Env,
  deployment: DeploymentRow,
  minute: number,
  rulesOfProject?: Rule[],
): Promise<EvaluationSummary> {
  faultPoint("evaluate.deployment", deployment.id);
  const rules = (rulesOfProject ?? (await loadRules(env.DB, deployment.projectId))).filter(
    (r) => r.enabled && ruleMatches(r, deployment),
  );
  const { input, change, releases, baseline, key } = await baselineFor(
    env,
    deployment,
    minute,
    rules.map((r) => r.window_minutes),
  );
  const sequential = await sequentialReadings(env, deployment.id, minute, rules, baseline, key);
  const checks = evaluateRules(rules, (m) => ({ ...input(m), sequential }));
  // Only rules that had data are stored: an idle deployment's minutes cost no rows.
  const withData = checks.filter((c) => c.outcome !== "no_data");
  if (withData.length > 0) await storeChecks(env.DB, deployment.id, minute, withData);
  const origin = publicOrigin(env);
  const notifications = await commitEvaluation(env, {
    deployment,
    minute,
    rules,
    checks,
    releaseFor: (openedAt) => releaseInfo(releases, change, minute, openedAt),
    origin,
  });
  return {
    deploymentId: deployment.id,
    checks: checks.length,
    breaches: checks.filter((c) => c.outcome === "breach").length,
    notifications,
  };
}

/** Upserts the minute's check results (the drift-score time series); replay-safe. */
async function storeChecks(
  db: D1Database,
  deploymentId: string,
  minute: number,
  checks: CheckResult[],
) {
  // NOTE: one JSON parameter per statement, far below D1's 100 bound parameters.
  await db
    .prepare(
      `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
       SELECT ?1, value ->> '$.rule_id', ?2, value ->> '$.outcome', value ->> '$.value',
              value ->> '$.baseline_value', value ->> '$.statistic', value ->> '$.threshold', value ->> '$.message'
       FROM json_each(?3) WHERE true
       ON CONFLICT (deployment_id, rule_id, minute) DO UPDATE SET
         outcome = excluded.outcome, value = excluded.value, baseline_value = excluded.baseline_value,
         statistic = excluded.statistic, threshold = excluded.threshold, message = excluded.message`,
    )
    .bind(deploymentId, minute, JSON.stringify(checks))
    .run();
}
