// A scheduled maintenance window as people submit it, and the pure facts about one: its
// phase at a time, whether it covers a deployment. Shared by the API, the status page and
// the evaluation (a deployment under maintenance sends no alerts).
import { SlugSchema } from "../../ingest/event-schema";
import { DAY_MS } from "../../shared/time";
import { z } from "../../zod";
import { plainTextSchema } from "../incidents/update-text";

/** A window lasts at most this long: longer work is several announced windows. */
export const MAX_WINDOW_MS = 7 * DAY_MS;
export const MAX_TITLE_CHARS = 120;
export const MAX_MAINTENANCE_CHARS = 2_000;
/** Windows a project may have that have not ended yet (each one is read by every page render). */
export const MAX_PENDING_WINDOWS = 50;

const EpochMs = z.number().int().min(0).max(8.64e15).meta({ description: "Epoch ms" });

const TitleSchema = plainTextSchema(MAX_TITLE_CHARS).refine(
  (t) => !t.includes("\n"),
  "one line: no line breaks",
);

export const MaintenanceTargetSchema = z.strictObject({
  environment: SlugSchema.default("production"),
  slug: SlugSchema,
});

const Fields = {
  title: TitleSchema,
  text: plainTextSchema(MAX_MAINTENANCE_CHARS),
  starts_at: EpochMs,
  ends_at: EpochMs.meta({ description: "Epoch ms, after starts_at, at most 7 days later" }),
  deployments: z.array(MaintenanceTargetSchema).min(1).max(50).meta({
    description: "The deployments the work affects: their alerts are not sent while it runs",
  }),
};

export interface WindowTimes {
  starts_at: number;
  ends_at: number;
}

/** Why a window's times are refused, or null: it ends after it starts, within 7 days. */
export function windowProblem(w: WindowTimes): { path: string; message: string } | null {
  if (w.ends_at <= w.starts_at) return { path: "ends_at", message: "must be after starts_at" };
  if (w.ends_at - w.starts_at > MAX_WINDOW_MS) {
    return { path: "ends_at", message: "a window lasts at most 7 days" };
  }
  return null;
}

export const NewMaintenanceSchema = z
  .strictObject(Fields)
  .superRefine((w, ctx) => {
    const problem = windowProblem(w);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.path], message: problem.message });
  })
  .meta({ id: "NewMaintenance" });

export const MaintenanceChangeSchema = z
  .strictObject({
    title: Fields.title.optional(),
    text: Fields.text.optional(),
    starts_at: Fields.starts_at.optional(),
    ends_at: Fields.ends_at.optional(),
    deployments: Fields.deployments.optional(),
  })
  .meta({ id: "MaintenanceChange", description: "The fields to change; the rest stay" });

export type NewMaintenance = z.output<typeof NewMaintenanceSchema>;
export type MaintenanceChange = z.output<typeof MaintenanceChangeSchema>;
export type MaintenanceTarget = z.output<typeof MaintenanceTargetSchema>;

/** Statuspage's maintenance statuses that a window passes through by time alone. */
export type MaintenancePhase = "scheduled" | "in_progress" | "completed";

export function phaseAt(w: WindowTimes, now: number): MaintenancePhase {
  if (now < w.starts_at) return "scheduled";
  return now < w.ends_at ? "in_progress" : "completed";
}

export const covers = (
  w: { deployments: readonly MaintenanceTarget[] },
  d: { environment: string; slug: string },
) => w.deployments.some((t) => t.environment === d.environment && t.slug === d.slug);

/** Whether `at` falls in one of `windows` that covers the deployment. */
export const inMaintenance = (
  windows: readonly (WindowTimes & { deployments: readonly MaintenanceTarget[] })[],
  d: { environment: string; slug: string },
  at: number,
) => windows.some((w) => covers(w, d) && phaseAt(w, at) === "in_progress");
