// The attribution tests' window: a bucket with its segment counts and moments built from the
// same events, and a rule checked on a window against a baseline, as the cron evaluation does.
import { type CheckResult, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import type { Rule } from "../../../src/alerts/rules/rule-schema";
import type { NormalizedEvent } from "../../../src/ingest/normalized";
import { addEvent, type Bucket, emptyBucket } from "../../../src/window/bucket";
import {
  addSegmentEvent,
  emptySegments,
  type SegmentCounts,
} from "../../../src/window/segment-counts";
import {
  addMomentEvent,
  emptyMoments,
  type SegmentMoments,
} from "../../../src/window/segment-moments";

export interface SegmentWindow {
  bucket: Bucket;
  segments: SegmentCounts;
  moments: SegmentMoments;
}

export const emptyWindow = (): SegmentWindow => ({
  bucket: emptyBucket(),
  segments: emptySegments(),
  moments: emptyMoments(),
});

/** Counts one event into the bucket, the segment counts and the moments. */
export function addToWindow(w: SegmentWindow, e: NormalizedEvent): void {
  addEvent(w.bucket, e);
  addSegmentEvent(w.segments, e);
  addMomentEvent(w.moments, e);
}

/** A 15-minute window checked against a week's baseline, with both windows' segments. */
export function checkWindows(rule: Rule, base: SegmentWindow, cur: SegmentWindow): CheckResult {
  return evaluateRule(rule, {
    current: cur.bucket,
    baseline: base.bucket,
    currentMinutes: 15,
    baselineMinutes: 7 * 24 * 60,
    segments: {
      current: cur.segments,
      baseline: base.segments,
      moments: { current: cur.moments, baseline: base.moments },
    },
  });
}
