// Seeds scenario events straight into storage, as the telemetry consumer would store them:
// the deployment and release rows in D1, and the DeploymentMonitor's buckets (old history
// pre-merged into hour buckets, so a week of it is one quick RPC).
import type { ScenarioEvent } from "../scripts/lib/scenario.mjs";
import type { NormalizedInteraction } from "../src/ingest/normalized";
import { deploymentIdOf } from "../src/monitor/monitor-id";
import { MINUTE_RETENTION_MS } from "../src/monitor/retention-horizons";
import { recordStatements } from "../src/queue/record";
import { hourOf } from "../src/shared/time";
import { minuteBuckets, releaseCombos } from "../src/window/aggregate";
import { type Bucket, emptyBucket, encodeBucket, mergeBuckets } from "../src/window/bucket";

export function normalized(events: readonly ScenarioEvent[]): NormalizedInteraction[] {
  return events.map(({ type: _type, user: _user, session: _session, ...e }, i) => ({
    ...e,
    type: "interaction",
    id: `scenario-${i}`,
    status: e.status ?? "ok",
  }));
}

/** Stores the events of one deployment; returns its deployment id. `now` is the wall clock. */
export async function seedDeployment(
  env: Env,
  projectId: string,
  events: readonly ScenarioEvent[],
  now: number,
): Promise<string> {
  const all = normalized(events);
  const [first] = all;
  const deploymentId = first ? deploymentIdOf(projectId, first) : "";
  if (!first || all.some((e) => deploymentIdOf(projectId, e) !== deploymentId))
    throw new Error("seedDeployment takes one deployment's events");
  const ts = all.map((e) => e.ts);
  // As the consumer records what the object accepted (absolute totals).
  const monitor = {
    deploymentId,
    projectId,
    environment: first.environment,
    slug: first.deployment,
    synthetic: false,
  };
  const seen = { first: Math.min(...ts), last: Math.max(...ts) };
  const releases = [...releaseCombos(all).values()];
  await env.DB.batch(
    recordStatements(
      env.DB,
      [{ monitor, events: [] }],
      [{ accepted: all.length, duplicates: 0, dropped: 0, seen, releases }],
    ),
  );
  // The object keeps 1-minute buckets only for the last 2 hours of real time.
  const cut = hourOf(now - MINUTE_RETENTION_MS);
  const hours = new Map<number, Bucket>();
  const buckets: { start: number; data: string }[] = [];
  for (const [start, bucket] of minuteBuckets(all)) {
    if (start >= cut) {
      buckets.push({ start, data: encodeBucket(bucket) });
      continue;
    }
    const hour = hourOf(start);
    const merged = hours.get(hour) ?? emptyBucket();
    hours.set(hour, mergeBuckets(merged, bucket));
  }
  for (const [start, bucket] of hours) buckets.push({ start, data: encodeBucket(bucket) });
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  for (let i = 0; i < buckets.length; i += 200) {
    await stub.apply({
      deploymentId,
      token: `scenario-seed-${now}-${i}`,
      buckets: buckets.slice(i, i + 200),
    });
  }
  return deploymentId;
}
