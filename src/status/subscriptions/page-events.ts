// What a page's subscribers are told about (pure): an incident opened, each update the team
// wrote, its resolution, the component's status changing with the incident (Statuspage's
// `component_update`, for webhooks), and a maintenance window starting and ending, each with a stable key
// (announced once, src/status/subscriptions/announce.ts) and the components it touches.
import type { StatusMaintenance } from "../maintenance-model";
import type { StatusIncident } from "../page-model";

export type PageEvent =
  | {
      key: string;
      at: number;
      components: string[];
      kind: "incident";
      /** What happened: "opened", "resolved", or the written update's status. */
      what: string;
      incident: StatusIncident;
      /** The written update this event is, if it is one. */
      text: string | null;
    }
  | {
      key: string;
      at: number;
      components: string[];
      /** A component's status changing as an incident opens or resolves (webhooks only). */
      kind: "component";
      what: "opened" | "resolved";
      incident: StatusIncident;
      text: null;
    }
  | {
      key: string;
      at: number;
      components: string[];
      kind: "maintenance";
      what: "in_progress" | "completed";
      maintenance: StatusMaintenance;
      text: null;
    };

/** Every event of the page's incidents and maintenance windows up to `now`, oldest first. */
export function pageEvents(
  incidents: readonly StatusIncident[],
  maintenances: readonly StatusMaintenance[],
  now: number,
): PageEvent[] {
  const events: PageEvent[] = [];
  for (const i of incidents) {
    const base = { kind: "incident" as const, incident: i, components: [i.componentId] };
    const component = { ...base, kind: "component" as const, text: null };
    events.push({ ...base, key: `${i.id}:opened`, at: i.openedAt, what: "opened", text: null });
    events.push({ ...component, key: `${i.id}:component:opened`, at: i.openedAt, what: "opened" });
    if (i.resolvedAt !== null) {
      const at = i.resolvedAt;
      events.push({ ...component, key: `${i.id}:component:resolved`, at, what: "resolved" });
    }
    for (const u of i.updates) {
      events.push({ ...base, key: `${i.id}:${u.id}`, at: u.at, what: u.status, text: u.text });
    }
    // A resolution the team wrote is announced as their update; no generated one beside it.
    if (i.resolvedAt !== null && !i.updates.some((u) => u.status === "resolved")) {
      events.push({
        ...base,
        key: `${i.id}:resolved`,
        at: i.resolvedAt,
        what: "resolved",
        text: null,
      });
    }
  }
  for (const w of maintenances) {
    const base = {
      kind: "maintenance" as const,
      components: w.components.map((c) => c.id),
      text: null,
    };
    if (w.startsAt <= now) {
      events.push({
        ...base,
        key: `${w.id}:in_progress`,
        at: w.startsAt,
        what: "in_progress",
        maintenance: { ...w, phase: "in_progress" },
      });
    }
    if (w.endsAt <= now) {
      events.push({
        ...base,
        key: `${w.id}:completed`,
        at: w.endsAt,
        what: "completed",
        maintenance: { ...w, phase: "completed" },
      });
    }
  }
  return events
    .filter((e) => e.at <= now)
    .sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/** Whether a subscriber following `followed` (null: everything) hears of an event. */
export const follows = (followed: readonly string[] | null, e: PageEvent) =>
  followed === null || e.components.some((c) => followed.includes(c));
