// The state of a deployment as the status page shows it, derived from its open incidents
// (by severity) and its traffic, and how several states combine into one.
import { DAY_MS, HOUR_MS } from "../shared/time";

export const STATES = ["operational", "degraded", "major_outage", "no_data"] as const;
export type ComponentState = (typeof STATES)[number];

/** Worse states rank higher; "no data" ranks below "operational" so it never hides a fault. */
const RANK: Record<ComponentState, number> = {
  no_data: 0,
  operational: 1,
  degraded: 2,
  major_outage: 3,
};

export const STATE_LABELS: Record<ComponentState, string> = {
  operational: "Operational",
  degraded: "Degraded",
  major_outage: "Major outage",
  no_data: "No data",
};

/** Without an event for this long (and no open incident), a deployment shows "no data". */
export const NO_DATA_AFTER_MS = HOUR_MS;

export interface OpenIncident {
  severity: string;
  /** The signal's metric: its meaning sets the impact (impactOf). */
  metric?: string | null;
  /** Only firing incidents count: a pending one has not held for its rule's `for` yet. */
  status: string;
}

/** The state an incident of this severity puts its deployment in. */
export function stateOfSeverity(severity: string): ComponentState {
  return severity === "critical" ? "major_outage" : "degraded";
}

/** Signals that mean answers are not arriving: only these can be an outage. */
const AVAILABILITY_SIGNALS = new Set(["error_rate", "timeout_rate", "traffic", "probe"]);

/**
 * The public impact of an incident, from what its signal means rather than its severity
 * alone: failures, timeouts, lost traffic and failing probes may be a major outage (when
 * critical); quality and behaviour signals (thumbs-down, latency, answer length, model or
 * mix changes) degrade the service but are never an outage. Without a metric, severity decides.
 */
export function impactOf(metric: string | null | undefined, severity: string): ComponentState {
  if (!metric) return stateOfSeverity(severity);
  return AVAILABILITY_SIGNALS.has(metric) ? stateOfSeverity(severity) : "degraded";
}

export function worseOf(a: ComponentState, b: ComponentState): ComponentState {
  return RANK[b] > RANK[a] ? b : a;
}

export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst: ComponentState = "no_data";
  for (const s of states) worst = worseOf(worst, s);
  return worst;
}

/**
 * Current state: the worst firing incident decides; without one, a deployment that sent
 * events within NO_DATA_AFTER_MS is operational, otherwise there is nothing to judge by.
 * (A "no data" incident from a traffic rule is itself an incident and counts as such.)
 */
export function deploymentState(input: {
  incidents: readonly OpenIncident[];
  lastSeen: number | null;
  now: number;
}): ComponentState {
  const firing = input.incidents.filter((i) => i.status === "firing");
  if (firing.length > 0) return worstState(firing.map((i) => impactOf(i.metric, i.severity)));
  if (input.lastSeen !== null && input.now - input.lastSeen <= NO_DATA_AFTER_MS) {
    return "operational";
  }
  return "no_data";
}

/** The page's banner: the worst component; "no data" only when no component has data. */
export function overallState(states: readonly ComponentState[]): ComponentState {
  return worstState(states);
}

/** Start of the UTC day holding `ms`. */
export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
