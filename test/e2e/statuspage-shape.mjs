// The Atlassian Statuspage v2 public API shapes (summary.json, status.json) as zod
// schemas, strict about the fields status tooling reads.
import { z } from "zod";

const iso = z.iso.datetime({ offset: true });
const Page = z.object({
  id: z.string(),
  name: z.string(),
  url: z.url(),
  time_zone: z.string(),
  updated_at: iso,
});
const Status = z.object({
  indicator: z.enum(["none", "minor", "major", "critical"]),
  description: z.string(),
});
const ComponentStatus = z.enum([
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
]);
const Component = z.object({
  id: z.string(),
  name: z.string(),
  status: ComponentStatus,
  created_at: iso,
  updated_at: iso,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
});
const IncidentStatus = z.enum([
  "investigating",
  "identified",
  "monitoring",
  "resolved",
  "postmortem",
]);
const Incident = z.object({
  id: z.string(),
  name: z.string(),
  status: IncidentStatus,
  created_at: iso,
  updated_at: iso,
  monitoring_at: iso.nullable(),
  resolved_at: iso.nullable(),
  impact: z.enum(["none", "minor", "major", "critical"]),
  shortlink: z.url(),
  started_at: iso,
  page_id: z.string(),
  incident_updates: z
    .array(
      z.object({
        id: z.string(),
        status: IncidentStatus,
        body: z.string(),
        incident_id: z.string(),
        created_at: iso,
        updated_at: iso,
        display_at: iso,
        affected_components: z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            old_status: ComponentStatus,
            new_status: ComponentStatus,
          }),
        ),
        deliver_notifications: z.boolean(),
        custom_tweet: z.string().nullable(),
        tweet_id: z.string().nullable(),
      }),
    )
    .min(1),
  components: z.array(Component),
});

// Statuspage's scheduled maintenance: an incident with impact "maintenance", its own statuses
// and the window's times.
const MaintenanceStatus = z.enum(["scheduled", "in_progress", "verifying", "completed"]);
export const Maintenance = Incident.extend({
  status: MaintenanceStatus,
  impact: z.literal("maintenance"),
  scheduled_for: iso,
  scheduled_until: iso,
  incident_updates: z
    .array(z.object({ id: z.string(), status: MaintenanceStatus, body: z.string() }))
    .min(1),
});

export const MaintenancesSchema = z.object({
  page: Page,
  scheduled_maintenances: z.array(Maintenance),
});

export const SummarySchema = z.object({
  page: Page,
  components: z.array(Component),
  incidents: z.array(Incident),
  scheduled_maintenances: z.array(Maintenance),
  status: Status,
});
export const StatusSchema = z.strictObject({ page: Page, status: Status });

export const checkSummaryJson = (json) => SummarySchema.parse(json);
export const checkStatusJson = (json) => StatusSchema.parse(json);
