// Pre-aggregates claimed events per deployment into 1-minute buckets (so one RPC per
// deployment carries a whole batch) and collects release combinations.
import type { NormalizedEvent } from "../ingest/normalized";
import { addEvent, type Bucket, emptyBucket } from "../monitor/bucket";
import { MINUTE_MS } from "../shared/time";
import type { ClaimedEvent } from "./claims";

export interface ReleaseCombo {
  model: string;
  provider: string;
  promptVersion: string;
  release: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
}

export interface DeploymentGroup {
  deploymentId: string;
  /**
   * The Durable Object counting these events: the deployment's own, or for probe runs
   * (source "synthetic") a sibling, so synthetic traffic never enters the windows and
   * baselines drift is tested on.
   */
  monitorId: string;
  synthetic: boolean;
  projectId: string;
  environment: string;
  slug: string;
  firstTs: number;
  lastTs: number;
  buckets: { start: number; bucket: Bucket }[];
  releases: ReleaseCombo[];
}

export const deploymentIdOf = (
  projectId: string,
  e: Pick<NormalizedEvent, "environment" | "deployment">,
) => `${projectId}:${e.environment}:${e.deployment}`;

/** The sibling monitor of a deployment's synthetic traffic (slugs hold no ":"). */
export const syntheticMonitorOf = (deploymentId: string) => `${deploymentId}:synthetic`;

export function aggregateByDeployment(claimed: ClaimedEvent[]): DeploymentGroup[] {
  const groups = new Map<
    string,
    DeploymentGroup & { byMinute: Map<number, Bucket>; byRelease: Map<string, ReleaseCombo> }
  >();
  for (const { projectId, event } of claimed) {
    const deploymentId = deploymentIdOf(projectId, event);
    const synthetic = event.type === "interaction" && event.source === "synthetic";
    const monitorId = synthetic ? syntheticMonitorOf(deploymentId) : deploymentId;
    let g = groups.get(monitorId);
    if (!g) {
      g = {
        deploymentId,
        monitorId,
        synthetic,
        projectId,
        environment: event.environment,
        slug: event.deployment,
        firstTs: event.ts,
        lastTs: event.ts,
        buckets: [],
        releases: [],
        byMinute: new Map(),
        byRelease: new Map(),
      };
      groups.set(monitorId, g);
    }
    g.firstTs = Math.min(g.firstTs, event.ts);
    g.lastTs = Math.max(g.lastTs, event.ts);
    const start = Math.floor(event.ts / MINUTE_MS) * MINUTE_MS;
    let bucket = g.byMinute.get(start);
    if (!bucket) {
      bucket = emptyBucket();
      g.byMinute.set(start, bucket);
    }
    addEvent(bucket, event);
    if (event.type === "interaction") trackRelease(g.byRelease, event);
  }
  return [...groups.values()].map(({ byMinute, byRelease, ...g }) => ({
    ...g,
    buckets: [...byMinute].map(([start, bucket]) => ({ start, bucket })),
    releases: [...byRelease.values()],
  }));
}

function trackRelease(
  byRelease: Map<string, ReleaseCombo>,
  e: Extract<NormalizedEvent, { type: "interaction" }>,
): void {
  const model = e.model ?? "";
  const provider = e.provider ?? "";
  const promptVersion = e.prompt_version ?? "";
  const release = e.release ?? "";
  // Length-prefixed parts: unambiguous whatever characters the labels hold.
  const key = `${model.length}:${model}${provider.length}:${provider}${promptVersion.length}:${promptVersion}${release.length}:${release}`;
  const seen = byRelease.get(key);
  if (seen) {
    if (e.ts < seen.firstSeen) seen.firstSeen = e.ts;
    if (e.ts > seen.lastSeen) seen.lastSeen = e.ts;
    seen.count += 1;
  } else
    byRelease.set(key, {
      model,
      provider,
      promptVersion,
      release,
      firstSeen: e.ts,
      lastSeen: e.ts,
      count: 1,
    });
}
