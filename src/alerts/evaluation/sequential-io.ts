// The I/O shell of sequential detection: reads the deployment's detector state from its Durable
// Object, feeds it the settled 1-minute buckets since the last evaluation, stores it back, and
// returns this minute's readings for the cusum rules. Each hour it re-estimates the rates'
// hour-of-day profiles from the baseline's 1-hour rollups in D1 (kept in the state meanwhile).

import { hourOf, MINUTE_MS } from "../../shared/time";
import type { Bucket } from "../../window/bucket";
import { decodeBucket, emptyBucket } from "../../window/bucket";
import type { Metric } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import { baselineProfile, type HourBucket } from "./baseline-profile";
import {
  advanceSequential,
  type SequentialMetric,
  type SequentialReading,
  type SequentialState,
} from "./sequential";

/** 1-minute buckets are kept for 2 hours: a longer gap in evaluations skips what expired. */
const MAX_CATCH_UP = 119;

/**
 * Buckets are fed once they are a minute old: events reach the Durable Object seconds after
 * they happen, and a minute fed early would lose its stragglers to the detector for good.
 */
export const SETTLE_MINUTES = 1;

export async function sequentialReadings(
  env: Env,
  deploymentId: string,
  minute: number,
  rules: readonly Rule[],
  baseline: { bucket: Bucket; minutes: number; hours?: { from: number; to: number } } | null,
  key: string,
): Promise<Map<Metric, SequentialReading>> {
  const cusum = rules.filter((r) => r.enabled && r.test === "cusum");
  if (cusum.length === 0) return new Map();
  const metrics = new Map<Metric, SequentialMetric>();
  for (const r of cusum)
    metrics.set(r.metric, { metric: r.metric, direction: r.direction === "down" ? "down" : "up" });
  // The tightest budget among the rules stands for the deployment (one number to split).
  const days = Math.min(...cusum.map((r) => r.threshold));

  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  const stored = await stub.sequentialState();
  const previous = stored === null ? null : (JSON.parse(stored) as SequentialState);
  const settled = minute - (1 + SETTLE_MINUTES) * MINUTE_MS;
  const starts: number[] = [];
  if (previous !== null && previous.key === key) {
    const first = Math.max(previous.lastMinute + MINUTE_MS, settled - MAX_CATCH_UP * MINUTE_MS);
    for (let s = first; s <= settled; s += MINUTE_MS) starts.push(s);
  }
  const windows =
    starts.length === 0
      ? []
      : await stub.windows(
          starts.map((s) => ({ from: s, to: s + MINUTE_MS, resolution: "1m" as const })),
        );
  const hours = baseline?.hours;
  const kept = previous?.profile;
  const profile = !hours
    ? undefined
    : kept && kept.at === hourOf(minute) && kept.key === key
      ? kept
      : {
          at: hourOf(minute),
          key,
          coefficients: baselineProfile(await rollupHours(env.DB, deploymentId, hours), [
            ...metrics.keys(),
          ]),
        };
  const { state, readings } = advanceSequential({
    previous,
    key,
    metrics: [...metrics.values()],
    baseline: baseline?.bucket ?? null,
    baselineMinutes: baseline?.minutes ?? 0,
    minutes: windows.map((w, i) => ({ start: starts[i] ?? w.from, bucket: decodeBucket(w.data) })),
    now: settled + MINUTE_MS,
    days,
    ...(profile ? { profile } : {}),
  });
  await stub.saveSequentialState(JSON.stringify(state));
  return readings;
}

/** The rate counters of a deployment's 1-hour rollups in [from, to), as buckets. */
async function rollupHours(
  db: D1Database,
  deploymentId: string,
  range: { from: number; to: number },
): Promise<HourBucket[]> {
  // Escalated and unanswered are kept as rates of the count in the summary.
  const { results } = await db
    .prepare(
      `SELECT bucket_start AS start, count, feedback_up AS up, feedback_down AS down,
         summary ->> '$.status.error' AS error, summary ->> '$.status.timeout' AS timeout,
         summary ->> '$.status.refused' AS refused, summary ->> '$.status.filtered' AS filtered,
         ROUND(count * (summary ->> '$.rates.escalated')) AS escalated,
         ROUND(count * (summary ->> '$.rates.unanswered')) AS unanswered
       FROM rollups WHERE deployment_id = ?1 AND resolution = '1h'
         AND bucket_start >= ?2 AND bucket_start < ?3`,
    )
    .bind(deploymentId, range.from, range.to)
    .all<Record<string, number | null>>();
  return results.map((r) => {
    const bucket = emptyBucket();
    const c = bucket.counters;
    const n = (v: number | null | undefined) => Number(v ?? 0);
    c.count = n(r.count);
    c.feedback_up = n(r.up);
    c.feedback_down = n(r.down);
    c.error = n(r.error);
    c.timeout = n(r.timeout);
    c.refused = n(r.refused);
    c.filtered = n(r.filtered);
    c.escalated = n(r.escalated);
    c.unanswered = n(r.unanswered);
    return { start: n(r.start), bucket };
  });
}
