// summary.json and status.json as schemas: the OpenAPI document's description of them, and
// (through z.output) the types statuspage-v2.ts builds them as, so the two cannot drift apart.
// Never parsed per request: the builders are checked by the compiler instead.
import { z } from "../zod";

const IsoTime = z.string().meta({ description: "ISO 8601, UTC" });

export const INDICATORS = ["none", "minor", "major", "critical"] as const;
export const COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "major_outage",
  "under_maintenance",
] as const;
export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "completed"] as const;
export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;

export const StatusPageInfoSchema = z
  .object({
    id: z.string().meta({ description: "The page's slug" }),
    name: z.string(),
    url: z.string(),
    time_zone: z.literal("Etc/UTC"),
    updated_at: IsoTime,
  })
  .meta({ id: "StatusPageInfo" });

export const StatusIndicatorSchema = z
  .object({
    indicator: z.enum(INDICATORS).meta({
      description:
        "minor: something degraded; major: a major outage; critical: every judged component down",
    }),
    description: z.string(),
  })
  .meta({ id: "StatusIndicator" });

export const StatusComponentSchema = z
  .object({
    id: z.string().meta({ description: "`<environment>/<slug>` of the deployment" }),
    name: z.string(),
    status: z.enum(COMPONENT_STATUSES).meta({
      description: "A deployment without recent data reads operational, its description says so",
    }),
    created_at: IsoTime,
    updated_at: IsoTime,
    position: z.number().int(),
    description: z.string().nullable(),
    showcase: z.boolean(),
    start_date: z.string().nullable().meta({ description: "YYYY-MM-DD of the first data" }),
    group_id: z.string().nullable().meta({ description: "Always null: no component groups" }),
    page_id: z.string(),
    group: z.boolean(),
    only_show_if_degraded: z.boolean(),
  })
  .meta({ id: "StatusComponent" });

const AffectedComponentSchema = z.object({
  code: z.string(),
  name: z.string(),
  old_status: z.enum(COMPONENT_STATUSES),
  new_status: z.enum(COMPONENT_STATUSES),
});

export const StatusIncidentUpdateSchema = z
  .object({
    id: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    body: z.string(),
    incident_id: z.string(),
    created_at: IsoTime,
    updated_at: IsoTime,
    display_at: IsoTime,
    affected_components: z.array(AffectedComponentSchema),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable().meta({ description: "Always null" }),
    tweet_id: z.string().nullable().meta({ description: "Always null" }),
  })
  .meta({ id: "StatusIncidentUpdate" });

export const StatusIncidentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    created_at: IsoTime,
    updated_at: IsoTime,
    monitoring_at: IsoTime.nullable().meta({
      description: "The first written `monitoring` update, else null",
    }),
    resolved_at: IsoTime.nullable(),
    impact: z.enum(["minor", "major"]),
    shortlink: z.string(),
    started_at: IsoTime,
    page_id: z.string(),
    incident_updates: z.array(StatusIncidentUpdateSchema).meta({ description: "Newest first" }),
    components: z.array(StatusComponentSchema),
  })
  .meta({ id: "StatusIncident" });

export const StatusMaintenanceUpdateSchema = z
  .object({
    id: z.string(),
    status: z.enum(MAINTENANCE_STATUSES),
    body: z.string(),
    incident_id: z.string(),
    created_at: IsoTime,
    updated_at: IsoTime,
    display_at: IsoTime,
    affected_components: z.array(AffectedComponentSchema),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  })
  .meta({ id: "StatusMaintenanceUpdate" });

export const StatusMaintenanceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(MAINTENANCE_STATUSES).meta({ description: "By time: before, during, after" }),
    created_at: IsoTime,
    updated_at: IsoTime,
    monitoring_at: IsoTime.nullable().meta({ description: "Always null" }),
    resolved_at: IsoTime.nullable().meta({ description: "The window's end once it is over" }),
    impact: z.literal("maintenance"),
    shortlink: z.string(),
    started_at: IsoTime,
    page_id: z.string(),
    incident_updates: z.array(StatusMaintenanceUpdateSchema).meta({ description: "Newest first" }),
    components: z.array(StatusComponentSchema),
    scheduled_for: IsoTime,
    scheduled_until: IsoTime,
  })
  .meta({ id: "StatusMaintenance", description: "A Statuspage v2 scheduled maintenance" });

export const StatusMaintenancesSchema = z
  .object({ page: StatusPageInfoSchema, scheduled_maintenances: z.array(StatusMaintenanceSchema) })
  .meta({
    id: "StatusMaintenances",
    description: "Atlassian Statuspage's scheduled-maintenances/upcoming.json and active.json",
  });

export const StatusSummarySchema = z
  .object({
    page: StatusPageInfoSchema,
    components: z.array(StatusComponentSchema),
    incidents: z.array(StatusIncidentSchema).meta({ description: "Unresolved incidents only" }),
    scheduled_maintenances: z
      .array(StatusMaintenanceSchema)
      .meta({ description: "Maintenance scheduled or in progress, the earliest first" }),
    status: StatusIndicatorSchema,
  })
  .meta({ id: "StatusSummary", description: "Atlassian Statuspage's public v2 summary.json" });

export const StatusIncidentsSchema = z
  .object({
    page: StatusPageInfoSchema,
    incidents: z
      .array(StatusIncidentSchema)
      .meta({ description: "Open incidents first, then those of the last 14 days, newest first" }),
  })
  .meta({ id: "StatusIncidents", description: "Atlassian Statuspage's public v2 incidents.json" });

export const StatusRollupSchema = z
  .object({ page: StatusPageInfoSchema, status: StatusIndicatorSchema })
  .meta({ id: "StatusRollup", description: "Atlassian Statuspage's public v2 status.json" });

/** A status route's 404 (no request id: it says nothing about any project). */
export const StatusNotFoundSchema = z
  .object({ error: z.object({ code: z.literal("not_found"), message: z.string() }) })
  .meta({ id: "StatusNotFound" });

export type Indicator = (typeof INDICATORS)[number];
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
export type StatusComponentJson = z.output<typeof StatusComponentSchema>;
export type StatusIncidentJson = z.output<typeof StatusIncidentSchema>;
export type StatusIncidentUpdateJson = z.output<typeof StatusIncidentUpdateSchema>;
export type StatusMaintenanceJson = z.output<typeof StatusMaintenanceSchema>;
