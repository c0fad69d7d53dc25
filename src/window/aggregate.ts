// Counts events into 1-minute buckets and collects their release combinations (model,
// provider, prompt version, release label): what the DeploymentMonitor merges into its
// windows and release totals for the events it accepts.
import type { NormalizedEvent, NormalizedInteraction } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { addEvent, type Bucket, emptyBucket } from "./bucket";

export interface ReleaseCombo {
  model: string;
  provider: string;
  promptVersion: string;
  release: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
}

/** The events' 1-minute buckets, by start (epoch ms). */
export function minuteBuckets(events: Iterable<NormalizedEvent>): Map<number, Bucket> {
  const byMinute = new Map<number, Bucket>();
  for (const event of events) {
    const start = minuteOf(event.ts);
    let bucket = byMinute.get(start);
    if (!bucket) {
      bucket = emptyBucket();
      byMinute.set(start, bucket);
    }
    addEvent(bucket, event);
  }
  return byMinute;
}

/** The combination's key: length-prefixed parts, unambiguous whatever the labels hold. */
export function releaseKey(
  c: Pick<ReleaseCombo, "model" | "provider" | "promptVersion" | "release">,
) {
  return `${c.model.length}:${c.model}${c.provider.length}:${c.provider}${c.promptVersion.length}:${c.promptVersion}${c.release.length}:${c.release}`;
}

const comboOf = (e: NormalizedInteraction) => ({
  model: e.model ?? "",
  provider: e.provider ?? "",
  promptVersion: e.prompt_version ?? "",
  release: e.release ?? "",
});

/** The release combinations of the interactions among `events`, by releaseKey. */
export function releaseCombos(events: Iterable<NormalizedEvent>): Map<string, ReleaseCombo> {
  const byRelease = new Map<string, ReleaseCombo>();
  for (const e of events) {
    if (e.type !== "interaction") continue;
    const combo = comboOf(e);
    const key = releaseKey(combo);
    const seen = byRelease.get(key);
    if (seen) {
      if (e.ts < seen.firstSeen) seen.firstSeen = e.ts;
      if (e.ts > seen.lastSeen) seen.lastSeen = e.ts;
      seen.count += 1;
    } else byRelease.set(key, { ...combo, firstSeen: e.ts, lastSeen: e.ts, count: 1 });
  }
  return byRelease;
}
