// An incident's timeline (pure): pending, firing, acknowledged by whom, silenced until when,
// the notes written on it, resolved and why — merged from the incident's row, its audit
// entries (who acted) and its written updates, oldest first.

export interface TimelineIncident {
  startedAt: number;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
}

/** An audit entry on the incident (incident.ack, incident.silence, incident.resolve, …). */
export interface TimelineAudit {
  action: string;
  actor: string;
  actorName: string | null;
  at: number;
  after: unknown;
}

export interface TimelineUpdate {
  id: string;
  status: string;
  body: string;
  author: string;
  createdAt: number;
}

export type TimelineKind =
  | "pending"
  | "firing"
  | "acknowledged"
  | "silenced"
  | "note"
  | "resolved"
  | "shown"
  | "hidden";

export interface TimelineEntry {
  kind: TimelineKind;
  at: number;
  /** One line: what happened, and who did it when a person did. */
  text: string;
  /** A written update's status and text. */
  note?: { id: string; status: string; body: string };
}

/** "Ops key" (key:key_1), or "root": the audit log's name for who acted. */
export const actorLabel = (actor: string, name: string | null) =>
  name ? `${name} (${actor})` : actor;

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

/** Entries sort by time; at equal times, in the order an incident goes through them. */
const ORDER: Record<TimelineKind, number> = {
  pending: 0,
  firing: 1,
  acknowledged: 2,
  silenced: 3,
  shown: 4,
  hidden: 4,
  note: 5,
  resolved: 6,
};

export function incidentTimeline(
  incident: TimelineIncident,
  audits: readonly TimelineAudit[],
  updates: readonly TimelineUpdate[],
  formatWhen: (ms: number) => string,
): TimelineEntry[] {
  const out: TimelineEntry[] = [
    { kind: "pending", at: incident.startedAt, text: "Pending: the rule's check first failed" },
  ];
  if (incident.firingAt !== null) {
    out.push({
      kind: "firing",
      at: incident.firingAt,
      text: "Firing: the check kept failing for the rule's duration; notifications sent",
    });
  }
  const byHand = audits.find(
    (a) =>
      a.action === "incident.resolve" ||
      (a.action === "incident.update" && field(a.after, "incident_status") === "resolved"),
  );
  for (const a of audits) {
    const who = actorLabel(a.actor, a.actorName);
    if (a.action === "incident.ack") {
      out.push({ kind: "acknowledged", at: a.at, text: `Acknowledged by ${who}` });
    } else if (a.action === "incident.silence") {
      const until = field(a.after, "silenced_until");
      const when = typeof until === "number" ? formatWhen(until) : "later";
      out.push({ kind: "silenced", at: a.at, text: `Silenced until ${when} by ${who}` });
    } else if (a.action === "incident.visibility") {
      const shown = field(a.after, "public") === true;
      out.push({
        kind: shown ? "shown" : "hidden",
        at: a.at,
        text: `${shown ? "Shown on" : "Hidden from"} the public status page by ${who}`,
      });
    }
  }
  // An ack the audit log does not hold (older rows, or seeded data) still shows, unnamed.
  if (incident.ackedAt !== null && !out.some((e) => e.kind === "acknowledged")) {
    out.push({ kind: "acknowledged", at: incident.ackedAt, text: "Acknowledged" });
  }
  for (const u of updates) {
    const who = audits.find((a) => a.actor === u.author)?.actorName ?? null;
    out.push({
      kind: "note",
      at: u.createdAt,
      text: `Update by ${actorLabel(u.author, who)}`,
      note: { id: u.id, status: u.status, body: u.body },
    });
  }
  if (incident.resolvedAt !== null) {
    out.push({
      kind: "resolved",
      at: incident.resolvedAt,
      text: byHand
        ? `Resolved by hand by ${actorLabel(byHand.actor, byHand.actorName)}`
        : "Resolved: the check passed again",
    });
  }
  return out.sort((a, b) => a.at - b.at || ORDER[a.kind] - ORDER[b.kind]);
}
