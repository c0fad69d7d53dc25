// A few of the events behind an incident, for projects that keep examples (keep_examples):
// the deployment's Durable Object samples, per outcome and hour, 10 events of all and 5 per
// segment value (ids and non-text fields only: src/window/example-sample.ts), so a named
// segment has examples however small its part of the outcome. An incident of a rate rule
// lists those of its outcome (errors for error_rate, thumbs-down for thumbs_down_rate…) from its top named
// segment (all traffic when the change is everywhere), newest hour first, with a link that
// exports exactly those events. Examples whose events the archive no longer holds (older
// than the project's retention) are left out and counted.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { DeploymentRow } from "../../db/deployment-named";
import { projectsTable } from "../../db/schema";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../shared/time";
import { OTHER } from "../../window/capped-counts";
import type { ExampleEvent, ExampleOutcome } from "../../window/example-sample";
import type { RateMetric } from "../rules/rule-metrics";
import type { IncidentRow } from "./incident-actions";

/** The outcome a rate rule counts, as the example sample names it. */
export const EXAMPLE_OUTCOME_OF: Record<RateMetric, ExampleOutcome> = {
  error_rate: "error",
  timeout_rate: "timeout",
  refusal_rate: "refused",
  filtered_rate: "filtered",
  unanswered_rate: "unanswered",
  escalation_rate: "escalated",
  thumbs_down_rate: "feedback_down",
};

/** How far before the incident's start examples are looked for: the windows that breached. */
export const EXAMPLES_LEAD_MS = HOUR_MS;

export interface IncidentExample extends ExampleEvent {
  /** GET /v1/events/export of this one event (path and query). */
  export_url: string;
}

export interface IncidentExamples {
  outcome: ExampleOutcome;
  /** The segment they come from ("locale=ja"); null: all traffic (the change is everywhere). */
  segment: { dimension: string; value: string; name: string } | null;
  events: IncidentExample[];
  /** Examples left out because the archive no longer holds their events (retention). */
  expired: number;
  /** GET /v1/events/export of all listed events; null when none is listed. */
  export_url: string | null;
}

interface TopSegment {
  dimension: string;
  value: string;
  name: string;
}

/** The first named segment an example can be matched to ("other" folds many values: none). */
function topSegment(lastCheck: Record<string, unknown> | null): TopSegment | null {
  const attribution = lastCheck?.attribution as { segments?: unknown } | undefined;
  const segments = Array.isArray(attribution?.segments) ? attribution.segments : [];
  for (const s of segments as Partial<TopSegment>[]) {
    if (typeof s.dimension !== "string" || typeof s.value !== "string") continue;
    if (s.value === OTHER) continue;
    return { dimension: s.dimension, value: s.value, name: String(s.name ?? s.value) };
  }
  return null;
}

/** The export of exactly `events` (their ids, over the hours they span). */
export function exportUrl(
  projectId: string,
  d: Pick<DeploymentRow, "environment" | "slug">,
  events: readonly ExampleEvent[],
): string {
  const from = Math.min(...events.map((e) => e.ts));
  const to = Math.max(...events.map((e) => e.ts)) + 1;
  const query = new URLSearchParams({
    project: projectId,
    deployment: d.slug,
    environment: d.environment,
    from: String(from),
    to: String(to),
    ids: events.map((e) => e.id).join(","),
  });
  return `/v1/events/export?${query}`;
}

/**
 * The incident's examples; null when it has none to show: the project does not keep
 * examples, or the rule is not a rate rule (distribution, volume and budget rules count no
 * outcome). The object's store keeps 8 days: older incidents list none.
 */
export async function incidentExamples(
  env: Env,
  incident: IncidentRow,
  deployment: DeploymentRow | null,
  now: number,
): Promise<IncidentExamples | null> {
  // A budget incident has no deployment, and so no events of its own to show.
  if (!deployment) return null;
  const metric = incident.lastCheck?.metric;
  if (typeof metric !== "string" || !Object.hasOwn(EXAMPLE_OUTCOME_OF, metric)) return null;
  const outcome = EXAMPLE_OUTCOME_OF[metric as RateMetric];
  const [project] = await drizzle(env.DB)
    .select({ keep: projectsTable.keepExamples, retentionDays: projectsTable.retentionDays })
    .from(projectsTable)
    .where(eq(projectsTable.id, incident.projectId));
  if (!project?.keep) return null;
  const segment = topSegment(incident.lastCheck);
  const range = {
    from: incident.startedAt - EXAMPLES_LEAD_MS,
    to: (incident.resolvedAt ?? now) + MINUTE_MS,
  };
  const kept = await env.DEPLOYMENT_MONITOR.getByName(deployment.id).exampleEvents(
    range,
    outcome,
    segment?.dimension ?? "",
    segment?.value ?? "",
  );
  // The archive deletes whole hours ending at or before now − retention (src/archive/expire.ts).
  const horizon = now - project.retentionDays * DAY_MS;
  const live = kept.filter((e) => e.ts >= horizon);
  const events = live.map((e) => ({
    ...e,
    export_url: exportUrl(incident.projectId, deployment, [e]),
  }));
  return {
    outcome,
    segment,
    events,
    expired: kept.length - live.length,
    export_url: live.length > 0 ? exportUrl(incident.projectId, deployment, live) : null,
  };
}
