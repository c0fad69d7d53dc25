// What a release arm keeps per minute for its verdicts (src/verdicts/): the bucket's
// counters, distributions and eval sketches (no categories or tags: a verdict compares
// rates), plus a sketch of cost per interaction, which the deployment's buckets only sum.
// Interactions count here; feedback and eval events sent later name an interaction, not a
// release, and the arm store counts them into the arm that served it (src/monitor/arm-refs.ts).
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

export interface ArmEvents {
  combo: ReleaseFields;
  minutes: Map<number, ArmBucket>;
  /** The interactions' ids, for their later feedback and evals. */
  ids: string[];
}

/** The interactions among `events` per release (by releaseKey) and minute. */
export function armMinutes(events: Iterable<NormalizedEvent>): Map<string, ArmEvents> {
  const arms = new Map<string, ArmEvents>();
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
      arm = { combo, minutes: new Map(), ids: [] };
      arms.set(key, arm);
    }
    arm.ids.push(e.id);
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

/** Adds a feedback or eval event into `into` (the minute of its arm), at its own minute. */
export function addLateEvent(into: Map<number, ArmBucket>, e: NormalizedEvent): void {
  const minute = minuteOf(e.ts);
  let b = into.get(minute);
  if (!b) {
    b = emptyArmBucket();
    into.set(minute, b);
  }
  addEvent(b.bucket, e);
}
