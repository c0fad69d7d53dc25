// What every kind of attribution shares: its level, how many segments it names, and how a
// segment is written.
import { holmAdjust, type SegmentExcess } from "../../drift";
import { OTHER } from "../../window/capped-counts";
import type { SegmentFinding } from "./effect-types";

/** Family-wise error rate over the segments of one evaluation. */
export const ATTRIBUTION_ALPHA = 0.01;
/** At most this many segments are named. */
export const MAX_NAMED = 3;

/** "locale=ja", or "locale (values beyond the top 20)" for the folded rest. */
export const segmentName = (dimension: string, value: string) => {
  const d = dimension.startsWith("tags.") ? dimension.slice(5) : dimension;
  return value === OTHER ? `${d} (values beyond the top 20)` : `${d}=${value}`;
};

/** A segment looked at, with its p-value before Holm's correction. */
export type TestedSegment = SegmentFinding & { p: number };

/** A segment of the excess of events (src/drift/segment-excess.ts), before Holm's correction. */
export function excessSegment(
  dimension: string,
  value: string,
  observed: number,
  x: SegmentExcess,
  shown: Pick<SegmentFinding, "trials" | "share_of_traffic" | "rate" | "baseline_rate" | "measure">,
): TestedSegment {
  const name = segmentName(dimension, value);
  const { expected, excess, share, pValue } = x;
  return {
    dimension,
    value,
    name,
    observed,
    expected,
    excess,
    share_of_excess: share,
    ...shown,
    p_value: 1,
    p: pValue,
  };
}

/** The segments that stand out after Holm's correction, largest share first, at most MAX_NAMED. */
export function standingOut(rows: readonly TestedSegment[]): SegmentFinding[] {
  const adjusted = holmAdjust(rows.map((r) => r.p));
  return rows
    .map(({ p: _, ...r }, i) => ({ ...r, p_value: adjusted[i] ?? 1 }))
    .filter((r) => r.p_value < ATTRIBUTION_ALPHA && r.share_of_excess > 0)
    .sort((a, b) => b.share_of_excess - a.share_of_excess || a.name.localeCompare(b.name))
    .slice(0, MAX_NAMED);
}

/** "14 segments looked at". */
export const lookedAt = (n: number) => `${n} segment${n === 1 ? "" : "s"} looked at`;

/** A share of the excess as shown: "72 %" (at most 100 %: other segments can be below). */
export const shareText = (x: number) => `${Math.round(Math.min(1, x) * 100)} %`;
