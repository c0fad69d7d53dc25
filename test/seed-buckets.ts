// Pre-aggregated history for DeploymentMonitor.apply: events counted into encoded
// 1-minute buckets, so a test seeds a window in one RPC instead of ingesting each event.
import type { NormalizedEvent } from "../src/ingest/normalized";
import { minuteBuckets } from "../src/window/aggregate";
import { encodeBucket } from "../src/window/bucket";

export function encodedMinutes(events: Iterable<NormalizedEvent>) {
  return [...minuteBuckets(events)].map(([start, bucket]) => ({
    start,
    data: encodeBucket(bucket),
  }));
}
