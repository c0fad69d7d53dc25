// What every kind of attribution shares: its level, how many segments it names, and how a
// segment is written.
import { OTHER } from "../../window/capped-counts";

/** Family-wise error rate over the segments of one evaluation. */
export const ATTRIBUTION_ALPHA = 0.01;
/** At most this many segments are named. */
export const MAX_NAMED = 3;

/** "locale=ja", or "locale (values beyond the top 20)" for the folded rest. */
export const segmentName = (dimension: string, value: string) => {
  const d = dimension.startsWith("tags.") ? dimension.slice(5) : dimension;
  return value === OTHER ? `${d} (values beyond the top 20)` : `${d}=${value}`;
};
