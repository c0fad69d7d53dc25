// The storage figure's deployment: 1,000,000 events spread over the full retention (35
// days of 1-hour buckets plus 2 hours of 1-minute buckets), applied an hour at a time,
// then the alarm run as it runs after any change (rollups to D1, past days' hours packed).
import { runDurableObjectAlarm } from "cloudflare:test";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import type { DeploymentMonitor } from "../../src/monitor/deployment-monitor";
import { HOUR_MS, MINUTE_MS } from "../../src/shared/time";
import { addEvent, type Bucket, emptyBucket, encodeBucket } from "../../src/window/bucket";
import { typicalTraffic } from "../sample-events";

export const MILLION = 1_000_000;
const HOURS = 35 * 24;
export const EVENTS_PER_HOUR = Math.ceil(MILLION / HOURS);

/**
 * Feeds the deployment's object and answers the last hour's events. Each hour is a fresh
 * sample of typical traffic (hours that repeat each other would deflate unrealistically
 * well together); the last two hours arrive minute by minute, as the consumer sends them.
 */
export async function feedMillionEvents(
  stub: DurableObjectStub<DeploymentMonitor>,
  deploymentId: string,
  now: number,
): Promise<{ fed: number; lastHour: NormalizedInteraction[] }> {
  let fed = 0;
  let lastHour: NormalizedInteraction[] = [];
  for (let h = HOURS - 1; h >= 0 && fed < MILLION; h--) {
    const hourStart = Math.floor((now - h * HOUR_MS) / HOUR_MS) * HOUR_MS;
    lastHour = typicalTraffic(EVENTS_PER_HOUR, 1000 + h);
    const minutes = new Map<number, Bucket>();
    for (let i = 0; i < EVENTS_PER_HOUR && fed < MILLION; i++, fed++) {
      const event = lastHour[i];
      if (!event) continue;
      const ts = Math.min(now, hourStart + Math.floor((i / EVENTS_PER_HOUR) * HOUR_MS));
      const minute = h < 2 ? Math.floor(ts / MINUTE_MS) * MINUTE_MS : hourStart;
      let bucket = minutes.get(minute);
      if (!bucket) {
        bucket = emptyBucket();
        minutes.set(minute, bucket);
      }
      addEvent(bucket, { ...event, ts });
    }
    await stub.apply({
      deploymentId,
      token: `million-${h}`,
      buckets: [...minutes].map(([start, bucket]) => ({ start, data: encodeBucket(bucket) })),
    });
  }
  await runDurableObjectAlarm(stub);
  return { fed, lastHour };
}
