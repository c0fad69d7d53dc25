// One change, one incident (pure): whether two incidents of one deployment are explained by
// the same change. The notifications (src/alerts/incidents/change-signals.ts), the status
// page and the dashboard all group by this one relation.
import { MINUTE_MS } from "../../shared/time";

/** Incidents opened this close together without a release change count as one change. */
export const SAME_CHANGE_MS = 15 * MINUTE_MS;

export interface ChangeKey {
  /** When the incident opened (its first breach), epoch ms. */
  startedAt: number;
  /** When the release change that precedes it was first seen, or null without one. */
  changeAt: number | null;
}

/** Same release change when both have one; otherwise opened within SAME_CHANGE_MS. */
export function sameChange(a: ChangeKey, b: ChangeKey): boolean {
  if (a.changeAt !== null && b.changeAt !== null) return a.changeAt === b.changeAt;
  return Math.abs(a.startedAt - b.startedAt) <= SAME_CHANGE_MS;
}
