// Scheduled maintenance as the public page shows it (pure): the windows not yet over that
// touch a deployment on the page, with the page's names for those deployments.
import {
  covers,
  type MaintenancePhase,
  type MaintenanceTarget,
  phaseAt,
} from "../alerts/maintenance/maintenance-window";

/** A window as read from D1 (`src/alerts/maintenance/maintenances.ts`). */
export interface MaintenanceRowIn {
  id: string;
  title: string;
  body: string;
  startsAt: number;
  endsAt: number;
  deployments: readonly MaintenanceTarget[];
  createdAt: number;
  updatedAt: number;
}

export interface StatusMaintenance {
  id: string;
  title: string;
  text: string;
  startsAt: number;
  endsAt: number;
  phase: MaintenancePhase;
  /** The page's components it covers (id and shown name), in the page's order. */
  components: { id: string; name: string }[];
  createdAt: number;
  updatedAt: number;
}

/** Windows scheduled or running that cover a shown deployment, the earliest start first. */
export function pageMaintenances(
  rows: readonly MaintenanceRowIn[],
  shown: readonly { environment: string; slug: string; name: string }[],
  now: number,
): StatusMaintenance[] {
  const windows: StatusMaintenance[] = [];
  for (const w of rows) {
    const phase = phaseAt({ starts_at: w.startsAt, ends_at: w.endsAt }, now);
    const components = shown
      .filter((d) => covers(w, d))
      .map((d) => ({ id: `${d.environment}/${d.slug}`, name: d.name }));
    if (phase === "completed" || components.length === 0) continue;
    windows.push({
      id: w.id,
      title: w.title,
      text: w.body,
      startsAt: w.startsAt,
      endsAt: w.endsAt,
      phase,
      components,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
    });
  }
  return windows.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
}

/** Whether a deployment's incident opened at `at` opened inside a window covering it. */
export function openedInMaintenance(
  rows: readonly MaintenanceRowIn[],
  d: { environment: string; slug: string },
  at: number,
): boolean {
  return rows.some((w) => covers(w, d) && at >= w.startsAt && at < w.endsAt);
}
