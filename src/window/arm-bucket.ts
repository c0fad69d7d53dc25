// What a release arm keeps per minute for its verdicts (src/verdicts/): the bucket's
// counters, distributions and eval sketches (no categories or tags: a verdict compares
// rates), plus a sketch of cost per interaction, which the deployment's buckets only sum.
// Only interactions count: feedback and eval events name an interaction, not a release.
import type { NormalizedEvent } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { type ReleaseCombo, releaseKey } from "./aggregate";
import { addEvent, type Bucket, emptyBucket, mergeBuckets } from "./bucket";
import { createSketch, type Sketch, sketchAdd, sketchMerge } from "./sketch";

export interface ArmBucket {
  bucket: Bucket;
  cost: Sketch;
}

export const emptyArmBucket = (): ArmBucket => ({ bucket: emptyBucket(), cost: createSketch() });

export function mergeArmBuckets(into: ArmBucket, from: ArmBucket): ArmBucket {
  mergeBuckets(into.bucket, from.bucket);
  sketchMerge(into.cost, from.cost);
  return into;
}

/**
 * The bucket without what verdicts do not read (categories, tags, output characters: they
 * compare output tokens), to store it small.
 */
export function trimmed(b: Bucket): Bucket {
  const empty = emptyBucket();
  const dists = { ...b.dists, output_chars: empty.dists.output_chars };
  return { ...empty, counters: b.counters, dists, evals: b.evals };
}

export type ReleaseFields = Pick<ReleaseCombo, "model" | "provider" | "promptVersion" | "release">;

/** The interactions among `events` per release (by releaseKey) and minute. */
export function armMinutes(
  events: Iterable<NormalizedEvent>,
): Map<string, { combo: ReleaseFields; minutes: Map<number, ArmBucket> }> {
  const arms = new Map<string, { combo: ReleaseFields; minutes: Map<number, ArmBucket> }>();
  for (const e of events) {
    if (e.type !== "interaction") continue;
    const combo = {
      model: e.model ?? "",
      provider: e.provider ?? "",
      promptVersion: e.prompt_version ?? "",
      release: e.release ?? "",
    };
    const key = releaseKey(combo);
    let arm = arms.get(key);
    if (!arm) {
      arm = { combo, minutes: new Map() };
      arms.set(key, arm);
    }
    const minute = minuteOf(e.ts);
    let b = arm.minutes.get(minute);
    if (!b) {
      b = emptyArmBucket();
      arm.minutes.set(minute, b);
    }
    addEvent(b.bucket, e);
    if (e.cost_usd !== undefined && Number.isFinite(e.cost_usd)) sketchAdd(b.cost, e.cost_usd);
  }
  return arms;
}
