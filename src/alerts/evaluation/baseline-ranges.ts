// Release changes within the rolling baseline (pure); baseline-plan.ts turns the latest
// one into what a deployment compares with.

import { DAY_MS } from "../../shared/time";
import type { ReleaseCombo } from "../../window/aggregate";

export const ROLLING_BASELINE_MS = 7 * DAY_MS;

/** A release marker: a combination and when it was first and last seen. */
export type ReleaseRow = Omit<ReleaseCombo, "count">;

export interface ReleaseChange {
  version: string;
  previous_version: string | null;
  first_seen_at: number;
}

/** "prompt v14 · model gpt-4o-mini · provider openai". */
export const releaseLabel = (r: ReleaseRow) =>
  [
    r.release && `release ${r.release}`,
    r.promptVersion && `prompt ${r.promptVersion}`,
    r.model && `model ${r.model}`,
    r.provider && `provider ${r.provider}`,
  ]
    .filter(Boolean)
    .join(" · ") || "unlabelled";

/**
 * The latest release change before `minute` within the rolling baseline: the newest
 * combination whose first appearance came after another one. null when nothing changed.
 */
export function latestReleaseChange(
  releases: readonly ReleaseRow[],
  minute: number,
): ReleaseChange | null {
  const seen = releases
    .filter((r) => r.firstSeen < minute)
    .sort((a, b) => a.firstSeen - b.firstSeen);
  const latest = seen[seen.length - 1];
  // "Was": the release live just before, i.e. the one last seen most recently among
  // those that existed before the change (after a rollback that is not the newest).
  const previous = seen
    .slice(0, -1)
    .reduce<ReleaseRow | undefined>(
      (best, r) => (!best || r.lastSeen > best.lastSeen ? r : best),
      undefined,
    );
  if (!latest || !previous || latest.firstSeen < minute - ROLLING_BASELINE_MS) return null;
  return {
    version: releaseLabel(latest),
    previous_version: releaseLabel(previous),
    first_seen_at: latest.firstSeen,
  };
}
