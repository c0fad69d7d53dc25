// One change, one incident in notifications (pure): the incidents of one deployment that one
// change explains (same-change.ts) are signals of ONE incident. A signal that fires after
// another of its change was announced is "1 more signal of" that incident, and the incident
// is over only when its last signal resolves. The group is named by the incident that fired
// first, so its id is stable for receivers to thread on.
import type { ChangeGroupRef, Severity } from "../delivery/notification-types";
import { sameChange } from "./same-change";

/** One rule's latest incident after this minute's step. */
export interface Signal {
  incidentId: string;
  ruleName: string;
  severity: Severity;
  status: "inactive" | "pending" | "firing" | "resolved";
  startedAt: number;
  firingAt: number | null;
  /** When it resolved, or null. */
  resolvedAt?: number | null;
  /** When its release change was first seen, or null. */
  changeAt: number | null;
}

const announced = (s: Signal): s is Signal & { firingAt: number } =>
  s.firingAt !== null && (s.status === "firing" || s.status === "resolved");

/**
 * The group of `me` among a deployment's signals at `minute`: the signals that fired for the
 * same change, ordered by when they fired (then by incident id).
 */
export function changeGroupOf(
  me: Signal,
  signals: readonly Signal[],
  minute: number,
): ChangeGroupRef {
  const key = (s: Signal) => ({ startedAt: s.startedAt, changeAt: s.changeAt });
  const candidates = signals
    .filter((s) => s.incidentId === me.incidentId || (announced(s) && sameChange(key(me), key(s))))
    .filter(announced);
  // A signal resolved before the live ones fired ended an earlier incident of the change:
  // a new episode is a new incident, not more of one that was said to be over.
  const live = candidates.filter((s) => s.status === "firing" || s.incidentId === me.incidentId);
  const since = Math.min(...live.map((s) => s.firingAt));
  const members = candidates
    .filter(
      (s) =>
        s.status === "firing" || s.incidentId === me.incidentId || (s.resolvedAt ?? 0) >= since,
    )
    .sort((a, b) => a.firingAt - b.firingAt || (a.incidentId < b.incidentId ? -1 : 1));
  const firing = members.filter((s) => s.status === "firing");
  const worst =
    firing.find((s) => s.severity === "critical") ??
    firing[0] ??
    members.find((s) => s.severity === "critical") ??
    members[0] ??
    me;
  const first = members[0] ?? me;
  return {
    id: first.incidentId,
    title: worst.ruleName,
    signals: firing.map((s) => s.ruleName),
    // Another signal was announced before this minute: this one adds to its incident.
    more: members.some((s) => s.incidentId !== me.incidentId && s.firingAt < minute),
    open: firing.length > 0,
  };
}
