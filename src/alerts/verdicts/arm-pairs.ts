// The minutes of a candidate arm and its incumbent as the verdict analysis reads them
// (ArmMinute): both arms' counts per signal, minute by minute, against fixed thresholds.
import type { ArmWindow } from "../../monitor/arm-store";
import { unpackArmBucket } from "../../monitor/arm-store";
import type { ArmMinute } from "../../verdicts";
import { type ArmBucket, emptyArmBucket, mergeArmBuckets } from "../../window/arm-bucket";
import { armCounts } from "../../window/arm-counts";

function byMinute(w: ArmWindow | undefined): Map<number, ArmBucket> {
  return new Map((w?.minutes ?? []).map((m) => [m.minute, unpackArmBucket(m.data)]));
}

/** Every minute after `after` in which either arm served, oldest first. */
export function armPairs(
  incumbent: ArmWindow | undefined,
  candidate: ArmWindow | undefined,
  thresholds: Record<string, number>,
  after: number,
): ArmMinute[] {
  const a = byMinute(incumbent);
  const b = byMinute(candidate);
  const minutes = [...new Set([...a.keys(), ...b.keys()])]
    .filter((m) => m > after)
    .sort((x, y) => x - y);
  return minutes.map((minute) => {
    const ia = a.get(minute) ?? emptyArmBucket();
    const cb = b.get(minute) ?? emptyArmBucket();
    return {
      minute,
      requests: { incumbent: ia.bucket.counters.count, candidate: cb.bucket.counters.count },
      incumbent: armCounts(ia, thresholds),
      candidate: armCounts(cb, thresholds),
    };
  });
}

/** All of an arm's minutes merged (the incumbent's, to fix the thresholds). */
export function mergedArm(w: ArmWindow | undefined): ArmBucket {
  const into = emptyArmBucket();
  for (const m of w?.minutes ?? []) mergeArmBuckets(into, unpackArmBucket(m.data));
  return into;
}
