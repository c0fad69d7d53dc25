// Which time ranges an evaluation compares (pure): the evaluation windows, the
// baseline (rolling, or the period before the latest release), and the same hour
// last week for traffic volume.
import type { ReleaseCombo } from "../../monitor/aggregate";
import { DAY_MS, HOUR_MS, hourOf, MINUTE_MS } from "../../shared/time";

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

export interface EvaluationRanges {
  windows: { minutes: number; from: number; to: number }[];
  baseline: { from: number; to: number };
  sameHourLastWeek: { from: number; to: number };
}

/**
 * The rolling baseline is the trailing 7 days excluding the last hour; after a release
 * change it is the 7 days before that release, so the new release is compared with
 * the previous one's behaviour.
 */
export function evaluationRanges(
  minute: number,
  windowMinutes: readonly number[],
  change: ReleaseChange | null,
): EvaluationRanges {
  const end = change ? hourOf(change.first_seen_at) : hourOf(minute - HOUR_MS);
  const lastWeek = hourOf(minute - ROLLING_BASELINE_MS);
  return {
    windows: [...new Set(windowMinutes)].map((m) => ({
      minutes: m,
      from: minute - m * MINUTE_MS,
      to: minute,
    })),
    baseline: { from: end - ROLLING_BASELINE_MS, to: end },
    sameHourLastWeek: { from: lastWeek, to: lastWeek + HOUR_MS },
  };
}
