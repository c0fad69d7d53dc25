// Which release served traffic at a given time, from the release rows' first and last
// sightings, and the release facts a notification carries (ReleaseInfo).

import type { ReleaseInfo } from "../delivery/notification-types";
import { type ReleaseChange, type ReleaseRow, releaseLabel } from "./baseline-ranges";

/**
 * The release serving traffic at `at`: among the releases seen by then, the one seen last
 * up to `at` (a release that stopped before `at` was replaced); when several were still
 * seen after `at`, the newest of them, since a deploy replaces what ran before. A rollback
 * makes the older release the one still seen, so it is named again from then on.
 */
export function liveReleaseAt(releases: readonly ReleaseRow[], at: number): ReleaseRow | null {
  let best: ReleaseRow | null = null;
  let bestSeen = Number.NEGATIVE_INFINITY;
  for (const r of releases) {
    if (r.firstSeen > at) continue;
    const seen = Math.min(r.lastSeen, at);
    if (seen > bestSeen || (seen === bestSeen && best !== null && r.firstSeen > best.firstSeen)) {
      best = r;
      bestSeen = seen;
    }
  }
  return best;
}

/**
 * The notification's release facts: the latest change, plus the releases live at `now` and
 * when the incident opened (`openedAt`). null when no release changed within the baseline.
 */
export function releaseInfo(
  releases: readonly ReleaseRow[],
  change: ReleaseChange | null,
  now: number,
  openedAt: number,
): ReleaseInfo | null {
  if (!change) return null;
  const live = liveReleaseAt(releases, now);
  const atOpen = liveReleaseAt(releases, openedAt);
  return {
    ...change,
    live: live ? releaseLabel(live) : null,
    at_open: atOpen ? releaseLabel(atOpen) : null,
  };
}
