// Which Durable Object counts an event: its deployment's own, or for probe runs
// (source "synthetic") a sibling, so synthetic traffic never enters the windows and
// baselines drift is tested on.
import type { NormalizedEvent } from "../ingest/normalized";

/** A deployment's id: `${projectId}:${environment}:${slug}` (project ids and slugs hold no ":"). */
export const deploymentIdOf = (
  projectId: string,
  e: Pick<NormalizedEvent, "environment" | "deployment">,
) => `${projectId}:${e.environment}:${e.deployment}`;

/** The sibling monitor of a deployment's synthetic traffic. */
export const syntheticMonitorOf = (deploymentId: string) => `${deploymentId}:synthetic`;

/** The object's own name: the deployment's id, or its synthetic sibling's. */
export const monitorIdOf = (m: { deploymentId: string; synthetic: boolean }) =>
  m.synthetic ? syntheticMonitorOf(m.deploymentId) : m.deploymentId;

export const isSynthetic = (e: NormalizedEvent) =>
  e.type === "interaction" && e.source === "synthetic";
