// One change, one incident (pure): the public incidents of one deployment that one release
// change explains, or that opened within one evaluation window of each other, read as ONE
// incident with several signals. Its impact is the worst signal's (by meaning, impactOf),
// it is open while any signal is, and it keeps the id of its first signal's incident.
import { sameChange } from "../alerts/incidents/same-change";
import type { ReleaseChangeView } from "./incident-text";
import { type ComponentState, worseOf } from "./state";

/** One public incident: one signal, or several that one change explains. */
export interface StatusIncident {
  id: string;
  componentId: string;
  componentName: string;
  /** The worst signal's title when several signals make one incident. */
  title: string;
  /** Every signal's public title, worst first ("More failed answers", "Answer length changed"). */
  signals: string[];
  /** The worst signal's metric and every signal's, worst first: the title in other languages. */
  metric: string | null;
  metrics: (string | null)[];
  severity: string;
  impact: ComponentState;
  open: boolean;
  openedAt: number;
  ackedAt: number | null;
  resolvedAt: number | null;
  updatedAt: number;
  release: ReleaseChangeView | null;
  /** Written updates, oldest first (the latest MAX_SHOWN_UPDATES). */
  updates: WrittenUpdate[];
  /** It opened during a maintenance window covering its deployment (its first signal's). */
  inMaintenance?: boolean;
}

/** Written updates shown per incident: the page stays bounded however many are written. */
export const MAX_SHOWN_UPDATES = 10;

/** An update a person wrote on an incident (POST /v1/incidents/{id}/updates). */
export interface WrittenUpdate {
  id: string;
  status: "investigating" | "identified" | "monitoring" | "resolved";
  text: string;
  at: number;
}

const RANK: Record<ComponentState, number> = {
  major_outage: 0,
  degraded: 1,
  operational: 2,
  no_data: 3,
};

function belongs(group: StatusIncident, i: StatusIncident): boolean {
  if (group.componentId !== i.componentId) return false;
  return sameChange(
    { startedAt: group.openedAt, changeAt: group.release?.at ?? null },
    { startedAt: i.openedAt, changeAt: i.release?.at ?? null },
  );
}

function merge(parts: readonly StatusIncident[]): StatusIncident {
  const ordered = [...parts].sort(
    (a, b) => RANK[a.impact] - RANK[b.impact] || a.openedAt - b.openedAt,
  );
  const [worst] = ordered;
  const first = [...parts].sort((a, b) => a.openedAt - b.openedAt)[0];
  if (!worst || !first) throw new Error("merge needs at least one incident");
  const open = parts.some((p) => p.open);
  const acks = parts.flatMap((p) => (p.ackedAt === null ? [] : [p.ackedAt]));
  return {
    ...first,
    title: worst.title,
    metric: worst.metric,
    metrics: [...new Set(ordered.flatMap((p) => p.metrics))],
    signals: [...new Set(ordered.flatMap((p) => p.signals))],
    severity: parts.some((p) => p.severity === "critical") ? "critical" : worst.severity,
    impact: parts.reduce<ComponentState>((s, p) => worseOf(s, p.impact), "operational"),
    open,
    ackedAt: acks.length > 0 ? Math.min(...acks) : null,
    resolvedAt: open ? null : Math.max(...parts.map((p) => p.resolvedAt ?? 0)),
    updatedAt: Math.max(...parts.map((p) => p.updatedAt)),
    release: parts.find((p) => p.release)?.release ?? null,
    // Updates written on any of the signals' incidents belong to the one public incident.
    updates: parts
      .flatMap((p) => p.updates)
      .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
      .slice(-MAX_SHOWN_UPDATES),
  };
}

/** Groups incidents per deployment and change, oldest first inside; order of groups is free. */
export function groupIncidents(incidents: readonly StatusIncident[]): StatusIncident[] {
  const groups: StatusIncident[][] = [];
  for (const i of [...incidents].sort((a, b) => a.openedAt - b.openedAt)) {
    const home = groups.find((g) => g[0] && belongs(g[0], i));
    if (home) home.push(i);
    else groups.push([i]);
  }
  return groups.map(merge);
}
