// Applies a project's `drop_pii_tags` switch to a validated batch, before anything is
// queued: tag values that look like personal data never reach storage or rollups.

import { withoutPiiTags } from "../privacy/pii";
import type { ValidEvent } from "./parse-batch";

export interface ScrubbedBatch {
  valid: ValidEvent[];
  /** Spread into the ingest answer: the count when the switch is on, nothing otherwise. */
  answer: { pii_tags_dropped?: number };
}

export function dropPiiTags(valid: ValidEvent[], enabled: boolean): ScrubbedBatch {
  if (!enabled) return { valid, answer: {} };
  let dropped = 0;
  const out = valid.map((v) => {
    if (v.event.type === "feedback" || v.event.type === "eval" || !v.event.tags) return v;
    const scrubbed = withoutPiiTags(v.event.tags);
    if (scrubbed.dropped === 0) return v;
    dropped += scrubbed.dropped;
    return { ...v, event: { ...v.event, tags: scrubbed.tags } };
  });
  return { valid: out, answer: { pii_tags_dropped: dropped } };
}
