// The status page in Atlassian Statuspage's public v2 shape (summary.json, status.json), so
// tools that already read Statuspage pages read Driftwatch ones too.
import type { z } from "../zod";
import type { StatusMaintenance } from "./maintenance-model";
import type { StatusComponent, StatusIncident, StatusModel } from "./page-model";
import type { ComponentState } from "./state";
import type {
  ComponentStatus,
  Indicator,
  StatusComponentJson,
  StatusIncidentJson,
  StatusIncidentsSchema,
  StatusIncidentUpdateJson,
  StatusIndicatorSchema,
  StatusMaintenanceJson,
  StatusMaintenancesSchema,
  StatusPageInfoSchema,
  StatusRollupSchema,
  StatusSummarySchema,
} from "./statuspage-v2-schema";

export type { Indicator } from "./statuspage-v2-schema";

const INDICATOR_TEXT: Record<Indicator, string> = {
  none: "All Systems Operational",
  minor: "Minor Service Outage",
  major: "Partial System Outage",
  critical: "Major Service Outage",
};

/**
 * Statuspage has no "unknown" component status, and tools treat unknown values as errors,
 * so a deployment without recent data reads "operational" with a description saying so.
 */
export function componentStatus(state: ComponentState): ComponentStatus {
  if (state === "degraded") return "degraded_performance";
  if (state === "major_outage") return "major_outage";
  return "operational";
}

/** minor: something degraded; major: a major outage; critical: every judged component down. */
export function indicatorOf(states: readonly ComponentState[]): Indicator {
  const judged = states.filter((s) => s !== "no_data");
  if (judged.length > 0 && judged.every((s) => s === "major_outage")) return "critical";
  if (judged.includes("major_outage")) return "major";
  if (judged.includes("degraded")) return "minor";
  return "none";
}

const iso = (ms: number) => new Date(ms).toISOString();

function pageOf(m: StatusModel, url: string): z.output<typeof StatusPageInfoSchema> {
  return {
    id: m.slug,
    name: m.title,
    url,
    time_zone: "Etc/UTC",
    updated_at: iso(m.updatedAt || m.now),
  };
}

export function statusOf(m: StatusModel): z.output<typeof StatusIndicatorSchema> {
  const indicator = indicatorOf(m.components.map((c) => c.state));
  return { indicator, description: INDICATOR_TEXT[indicator] };
}

export function componentOf(
  c: StatusComponent,
  position: number,
  m: StatusModel,
): StatusComponentJson {
  return {
    id: c.id,
    name: c.name,
    status: c.maintenance ? "under_maintenance" : componentStatus(c.state),
    created_at: iso(c.firstSeen ?? m.now),
    updated_at: iso(m.now),
    position: position + 1,
    description: c.state === "no_data" ? "No data in the last hour" : null,
    showcase: true,
    start_date: c.firstSeen === null ? null : iso(c.firstSeen).slice(0, 10),
    group_id: null,
    page_id: m.slug,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Resolved when it is; else the latest written update's status, else what detection says. */
function incidentStatus(i: StatusIncident): StatusIncidentJson["status"] {
  if (i.resolvedAt !== null) return "resolved";
  const written = i.updates.at(-1);
  if (written && written.status !== "resolved") return written.status;
  return i.ackedAt !== null ? "identified" : "investigating";
}

export function incidentOf(i: StatusIncident, m: StatusModel, url: string): StatusIncidentJson {
  const component = m.components.find((c) => c.id === i.componentId);
  const affected: StatusIncidentUpdateJson["affected_components"] = [
    {
      code: i.componentId,
      name: i.componentName,
      old_status: "operational",
      new_status: componentStatus(i.impact),
    },
  ];
  const update = (
    id: string,
    status: StatusIncidentUpdateJson["status"],
    at: number,
    body: string,
  ): StatusIncidentUpdateJson => ({
    id,
    status,
    body,
    incident_id: i.id,
    created_at: iso(at),
    updated_at: iso(at),
    display_at: iso(at),
    affected_components: affected,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  });
  const release = i.release ? ` It follows a change: ${i.release.summary}.` : "";
  const signals = i.signals.length > 1 ? ` Signals: ${i.signals.join(", ")}.` : "";
  const written = i.updates.map((u) => update(u.id, u.status, u.at, u.text));
  // A resolution the team wrote stands for the resolution; no generated one beside it.
  const resolvedByHand = i.updates.some((u) => u.status === "resolved");
  const updates = [
    update(
      `${i.id}-detected`,
      "investigating",
      i.openedAt,
      `${i.title} on ${i.componentName}.${signals}${release}`,
    ),
    ...(i.ackedAt === null
      ? []
      : [update(`${i.id}-acknowledged`, "identified", i.ackedAt, "The team is looking into it.")]),
    ...written,
    ...(i.resolvedAt === null || resolvedByHand
      ? []
      : [
          update(
            `${i.id}-resolved`,
            "resolved",
            i.resolvedAt,
            "Behaviour is back to its baseline.",
          ),
        ]),
  ]
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .reverse();
  const monitoring = i.updates.find((u) => u.status === "monitoring");
  return {
    id: i.id,
    name: `${i.title}: ${i.componentName}`,
    status: incidentStatus(i),
    created_at: iso(i.openedAt),
    updated_at: iso(i.updatedAt),
    monitoring_at: monitoring ? iso(monitoring.at) : null,
    resolved_at: i.resolvedAt === null ? null : iso(i.resolvedAt),
    impact: i.impact === "major_outage" ? "major" : "minor",
    shortlink: `${url}#i-${i.id}`,
    started_at: iso(i.openedAt),
    page_id: m.slug,
    incident_updates: updates,
    components: component ? [componentOf(component, m.components.indexOf(component), m)] : [],
  };
}

export function maintenanceOf(
  w: StatusMaintenance,
  m: StatusModel,
  url: string,
): StatusMaintenanceJson {
  const components = m.components.flatMap((c, k) =>
    w.components.some((x) => x.id === c.id) ? [componentOf(c, k, m)] : [],
  );
  const affected = w.components.map((c) => ({
    code: c.id,
    name: c.name,
    old_status: "operational" as const,
    new_status: "under_maintenance" as const,
  }));
  const update = (status: StatusMaintenanceJson["status"], at: number, body: string) => ({
    id: `${w.id}-${status}`,
    status,
    body,
    incident_id: w.id,
    created_at: iso(at),
    updated_at: iso(at),
    display_at: iso(at),
    affected_components: affected,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  });
  const updates = [
    update("scheduled", w.createdAt, w.text),
    ...(w.phase === "scheduled"
      ? []
      : [update("in_progress", w.startsAt, "Maintenance is in progress.")]),
    // Only subscribers hear of a window once it is over: the page shows it no more.
    ...(w.phase === "completed" ? [update("completed", w.endsAt, "Maintenance is over.")] : []),
  ].reverse();
  return {
    id: w.id,
    name: w.title,
    status: w.phase,
    created_at: iso(w.createdAt),
    updated_at: iso(
      Math.max(
        w.updatedAt,
        w.phase === "scheduled" ? 0 : w.phase === "completed" ? w.endsAt : w.startsAt,
      ),
    ),
    monitoring_at: null,
    resolved_at: w.phase === "completed" ? iso(w.endsAt) : null,
    impact: "maintenance",
    shortlink: `${url}#m-${w.id}`,
    started_at: iso(w.startsAt),
    page_id: m.slug,
    incident_updates: updates,
    components,
    scheduled_for: iso(w.startsAt),
    scheduled_until: iso(w.endsAt),
  };
}

/** `scheduled-maintenances/upcoming.json` (scheduled) or `active.json` (in progress). */
export function maintenancesJson(
  m: StatusModel,
  url: string,
  phase: "scheduled" | "in_progress",
): z.output<typeof StatusMaintenancesSchema> {
  return {
    page: pageOf(m, url),
    scheduled_maintenances: m.maintenances
      .filter((w) => w.phase === phase)
      .map((w) => maintenanceOf(w, m, url)),
  };
}

/** `status.json`: the page and its rolled-up indicator. */
export function statusJson(m: StatusModel, url: string): z.output<typeof StatusRollupSchema> {
  return { page: pageOf(m, url), status: statusOf(m) };
}

/** `incidents.json`: the page and every incident it lists (open, and of the last 14 days). */
export function incidentsJson(m: StatusModel, url: string): z.output<typeof StatusIncidentsSchema> {
  return { page: pageOf(m, url), incidents: m.incidents.map((i) => incidentOf(i, m, url)) };
}

/** `summary.json`: page, components, unresolved incidents, maintenance ahead or running, status. */
export function summaryJson(m: StatusModel, url: string): z.output<typeof StatusSummarySchema> {
  return {
    page: pageOf(m, url),
    components: m.components.map((c, k) => componentOf(c, k, m)),
    incidents: m.incidents.filter((i) => i.open).map((i) => incidentOf(i, m, url)),
    scheduled_maintenances: m.maintenances.map((w) => maintenanceOf(w, m, url)),
    status: statusOf(m),
  };
}
