// The I/O shell of sequential detection: reads the deployment's detector state from its Durable
// Object, feeds it the settled 1-minute buckets since the last evaluation, stores it back, and
// returns this minute's readings for the cusum rules.

import { MINUTE_MS } from "../../shared/time";
import type { Bucket } from "../../window/bucket";
import { decodeBucket } from "../../window/bucket";
import type { Metric } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
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
  baseline: { bucket: Bucket; minutes: number } | null,
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
  const { state, readings } = advanceSequential({
    previous,
    key,
    metrics: [...metrics.values()],
    baseline: baseline?.bucket ?? null,
    baselineMinutes: baseline?.minutes ?? 0,
    minutes: windows.map((w, i) => ({ start: starts[i] ?? w.from, bucket: decodeBucket(w.data) })),
    now: settled + MINUTE_MS,
    days,
  });
  await stub.saveSequentialState(JSON.stringify(state));
  return readings;
}
