// The public status page's content as plain data, built from database rows by a pure
// function; the HTML, the Statuspage JSON, the Atom feed and the badge all render it.
import type { ReleaseRow } from "../alerts/evaluation/baseline-ranges";
import type { StatusPageSettings } from "../projects/status-page-settings";
import { DAY_MS, HOUR_MS } from "../shared/time";
import { BAR_DAYS, type DailyBar, dailyBars } from "./daily-bars";
import type { Point } from "./geometry";
import {
  groupIncidents,
  MAX_SHOWN_UPDATES,
  type StatusIncident,
  type WrittenUpdate,
} from "./incident-groups";
import { implicatedChange, publicTitle } from "./incident-text";
import {
  type MaintenanceRowIn,
  openedInMaintenance,
  pageMaintenances,
  type StatusMaintenance,
} from "./maintenance-model";
import { type ProbeDayRowIn, probeComponents, type StatusProbeComponent } from "./probe-components";
import { type ComponentState, deploymentState, impactOf, overallState } from "./state";
import { uptimeShare } from "./uptime";

/** Incidents listed on the page: open ones and those of the last 14 days. */
export const LISTED_INCIDENT_MS = 14 * DAY_MS;

export interface DeploymentRowIn {
  id: string;
  environment: string;
  slug: string;
  firstSeen: number;
  lastSeen: number;
}

export interface IncidentRowIn {
  id: string;
  deploymentId: string;
  ruleId: string;
  status: string;
  severity: string;
  metric: string | null;
  startedAt: number;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
  updatedAt: number;
}

/** An update a person wrote on an incident (`src/alerts/incidents/incident-updates.ts`). */
export interface UpdateRowIn {
  id: string;
  incidentId: string;
  status: "investigating" | "identified" | "monitoring" | "resolved";
  body: string;
  createdAt: number;
}

export interface HourRowIn {
  deploymentId: string;
  bucketStart: number;
  count: number;
  latencyP95: number | null;
  feedbackUp: number;
  feedbackDown: number;
}

export interface StatusInput {
  settings: StatusPageSettings;
  projectId: string;
  now: number;
  deployments: readonly DeploymentRowIn[];
  /** Incidents that fired, open or resolved within the bar range. */
  incidents: readonly IncidentRowIn[];
  /** Day starts with traffic, per deployment id. */
  trafficDays: ReadonlyMap<string, ReadonlySet<number>>;
  /** 1-hour rollups of the last 24 hours. */
  hours: readonly HourRowIn[];
  releases: ReadonlyMap<string, readonly ReleaseRow[]>;
  /** Updates written on the listed incidents, any order. */
  updates?: readonly UpdateRowIn[];
  /** Maintenance windows of the project that ended within the bar range or have not ended. */
  maintenances?: readonly MaintenanceRowIn[];
  /** Runs per UTC day of the probes the page shows (over the bar range). */
  probeDays?: readonly ProbeDayRowIn[];
  /** Extension point: extra per-deployment states (e.g. synthetic probes), worst wins. */
  extraStates?: ReadonlyMap<string, ComponentState>;
}

export { MAX_SHOWN_UPDATES, type StatusIncident, type WrittenUpdate } from "./incident-groups";

/** Each incident's written updates, oldest first, the latest MAX_SHOWN_UPDATES of each. */
function updatesByIncident(rows: readonly UpdateRowIn[]): Map<string, WrittenUpdate[]> {
  const by = new Map<string, WrittenUpdate[]>();
  const sorted = [...rows].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const u of sorted) {
    const list = by.get(u.incidentId) ?? [];
    list.push({ id: u.id, status: u.status, text: u.body, at: u.createdAt });
    by.set(u.incidentId, list.slice(-MAX_SHOWN_UPDATES));
  }
  return by;
}

export interface StatusComponent {
  /** `${environment}/${slug}`: stable, public, and names no project. */
  id: string;
  name: string;
  state: ComponentState;
  bars: DailyBar[];
  latencyP95: Point[];
  satisfaction: Point[];
  /** Over the last 24 hours. */
  current: { latencyP95: number | null; satisfaction: number | null; requests: number };
  firstSeen: number | null;
  /** Share of the last 90 days' minutes (since its first data) without a firing incident. */
  uptime: number | null;
  /** The maintenance window running on it now, if any ("under maintenance"). */
  maintenance: StatusMaintenance | null;
  /** The group it is shown under (page settings), or null. */
  group: string | null;
}

export interface StatusModel {
  slug: string;
  title: string;
  description: string | null;
  now: number;
  state: ComponentState;
  components: StatusComponent[];
  /**
   * Probes shown as components, below the deployments. Their state leaves the banner alone:
   * a probe's failures already open incidents on the deployment it feeds.
   */
  probes: StatusProbeComponent[];
  /** Newest first: open incidents and those of the last 14 days. */
  incidents: StatusIncident[];
  /** Maintenance scheduled or running on the page's components, the earliest first. */
  maintenances: StatusMaintenance[];
  /** The latest change to anything shown (for `updated_at` and the feed). */
  updatedAt: number;
}

const share = (up: number, down: number) => (up + down > 0 ? up / (up + down) : null);

/** A deployment's 24 hourly points (p95 latency, satisfaction) and its current figures. */
export function hourPoints(rows: readonly HourRowIn[], now: number) {
  const from = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const byStart = new Map(rows.map((r) => [r.bucketStart, r]));
  const latency: Point[] = [];
  const satisfaction: Point[] = [];
  for (let t = from; t <= now; t += HOUR_MS) {
    const r = byStart.get(t);
    latency.push({ t, v: r && r.count > 0 ? r.latencyP95 : null });
    // Thumbs are sparse: an inner hour with traffic but no thumb is left out, so the line
    // joins its neighbours instead of breaking into fragments; an hour without traffic
    // breaks it. The first and last hours stay, so the chart spans the same 24 hours.
    const thumbs = r ? share(r.feedbackUp, r.feedbackDown) : null;
    const edge = t === from || t + HOUR_MS > now;
    if (thumbs !== null || !r || r.count === 0 || edge) satisfaction.push({ t, v: thumbs });
  }
  let up = 0;
  let down = 0;
  let requests = 0;
  for (const r of rows) {
    up += r.feedbackUp;
    down += r.feedbackDown;
    requests += r.count;
  }
  // Hourly p95s do not merge into a 24-hour p95; the latest hour's is what visitors feel now.
  const latest = rows
    .filter((r) => r.count > 0)
    .reduce<HourRowIn | undefined>(
      (a, r) => (!a || r.bucketStart > a.bucketStart ? r : a),
      undefined,
    );
  return {
    latency,
    satisfaction,
    current: { latencyP95: latest?.latencyP95 ?? null, satisfaction: share(up, down), requests },
  };
}

export function buildStatusModel(input: StatusInput): StatusModel {
  const { settings, now } = input;
  const windows = input.maintenances ?? [];
  const maintenances = pageMaintenances(windows, settings.deployments, now);
  const byIdentity = new Map(input.deployments.map((d) => [`${d.environment}/${d.slug}`, d]));
  const names = new Map<string, { name: string; componentId: string }>();
  const components: StatusComponent[] = settings.deployments.map((shown) => {
    const componentId = `${shown.environment}/${shown.slug}`;
    const row = byIdentity.get(componentId);
    const incidents = row ? input.incidents.filter((i) => i.deploymentId === row.id) : [];
    // Incidents that opened during maintenance do not count against its days.
    const counted = incidents.filter(
      (i) => !openedInMaintenance(windows, shown, i.firingAt ?? i.startedAt),
    );
    if (row) names.set(row.id, { name: shown.name, componentId });
    let state = deploymentState({
      incidents: incidents.filter((i) => i.resolvedAt === null),
      lastSeen: row?.lastSeen ?? null,
      now,
    });
    const extra = row ? input.extraStates?.get(row.id) : undefined;
    if (extra) state = overallState([state, extra]);
    const firing = counted.filter((i) => i.firingAt !== null);
    const bars = dailyBars({
      now,
      trafficDays: (row && input.trafficDays.get(row.id)) || new Set(),
      incidents: firing.map((i) => ({
        id: i.id,
        title: publicTitle(i.metric),
        severity: i.severity,
        metric: i.metric,
        from: i.firingAt ?? i.startedAt,
        to: i.resolvedAt,
      })),
    });
    const hours = hourPoints(row ? input.hours.filter((h) => h.deploymentId === row.id) : [], now);
    return {
      id: componentId,
      name: shown.name,
      state,
      bars,
      latencyP95: hours.latency,
      satisfaction: hours.satisfaction,
      current: hours.current,
      firstSeen: row?.firstSeen ?? null,
      uptime: uptimeShare({
        spans: firing.map((i) => ({ from: i.firingAt ?? i.startedAt, to: i.resolvedAt })),
        from: now - BAR_DAYS * DAY_MS,
        now,
        firstSeen: row?.firstSeen ?? null,
      }),
      group: shown.group ?? null,
      maintenance:
        maintenances.find(
          (w) => w.phase === "in_progress" && w.components.some((x) => x.id === componentId),
        ) ?? null,
    };
  });
  const written = updatesByIncident(input.updates ?? []);
  const incidents: StatusIncident[] = input.incidents
    .filter(
      (i) =>
        i.firingAt !== null &&
        names.has(i.deploymentId) &&
        (i.resolvedAt === null || i.resolvedAt >= now - LISTED_INCIDENT_MS),
    )
    .map((i) => {
      const shown = names.get(i.deploymentId) ?? { name: "", componentId: "" };
      const openedAt = i.firingAt ?? i.startedAt;
      const release = implicatedChange(
        input.releases.get(i.deploymentId) ?? [],
        i.startedAt,
        input.settings.show_release_labels === true,
      );
      const updates = written.get(i.id) ?? [];
      const [environment = "", slug = ""] = shown.componentId.split("/");
      return {
        id: i.id,
        componentId: shown.componentId,
        componentName: shown.name,
        title: publicTitle(i.metric),
        signals: [publicTitle(i.metric)],
        metric: i.metric ?? null,
        metrics: [i.metric ?? null],
        severity: i.severity,
        impact: impactOf(i.metric, i.severity),
        open: i.resolvedAt === null,
        openedAt,
        ackedAt: i.ackedAt,
        resolvedAt: i.resolvedAt,
        updatedAt: Math.max(
          openedAt,
          i.ackedAt ?? 0,
          i.resolvedAt ?? 0,
          ...updates.map((u) => u.at),
        ),
        release,
        updates,
        inMaintenance: openedInMaintenance(windows, { environment, slug }, openedAt),
      };
    });
  const grouped = groupIncidents(incidents).sort(
    (a, b) => Number(b.open) - Number(a.open) || b.openedAt - a.openedAt,
  );
  const updatedAt = Math.max(
    0,
    ...grouped.map((i) => i.updatedAt),
    ...maintenances.map((w) => Math.max(w.updatedAt, w.phase === "in_progress" ? w.startsAt : 0)),
  );
  return {
    slug: settings.slug,
    title: settings.title,
    description: settings.description ?? null,
    now,
    state: overallState(components.map((c) => c.state)),
    components,
    probes: probeComponents({ probes: settings.probes ?? [], days: input.probeDays ?? [], now }),
    incidents: grouped,
    maintenances,
    updatedAt,
  };
}
