// Synthetic traffic with segments: a `locale` tag of k values and two models, thumbs-down
// at a base rate, raised in one locale (or everywhere), counted into a Bucket and its
// SegmentCounts alike.
import { addEvent, type Bucket, emptyBucket } from "../../src/window/bucket";
import {
  addSegmentEvent,
  emptySegments,
  type SegmentCounts,
} from "../../src/window/segment-counts";
import { interaction } from "../sample-events";
import { seededRandom } from "../sample-values";

export interface SegmentTraffic {
  /** Number of locale values. */
  k: number;
  /** Traffic share of the locale that changes ("l0"); the rest share the remainder evenly. */
  share: number;
  /** Thumbs-down rate everywhere, and in the changed locale (or everywhere, with `everywhere`). */
  rate: number;
  changedRate?: number;
  everywhere?: boolean;
  /** A model that only appears in this window (no baseline traffic). */
  newModel?: string;
}

export function segmentTraffic(
  n: number,
  seed: number,
  t: SegmentTraffic,
): { bucket: Bucket; segments: SegmentCounts } {
  const r = seededRandom(seed);
  const bucket = emptyBucket();
  const segments = emptySegments();
  for (let i = 0; i < n; i++) {
    const inChanged = r() < t.share;
    const locale = inChanged ? "l0" : `l${1 + Math.floor(r() * (t.k - 1))}`;
    const changed = t.everywhere || inChanged;
    const rate = changed ? (t.changedRate ?? t.rate) : t.rate;
    const e = interaction({
      model: t.newModel && r() < 0.5 ? t.newModel : r() < 0.7 ? "model-a" : "model-b",
      feedback: r() < rate ? -1 : 1,
      tags: { locale },
    });
    addEvent(bucket, e);
    addSegmentEvent(segments, e);
  }
  return { bucket, segments };
}
