// How the ingest routes hand over accepted events (src/api/events/ingest-sequence.ts).
// Small requests (beacons: DIRECT_MAX_EVENTS events or fewer) go straight to each
// deployment's Durable Object, which commits them with other requests' (monitor/intake.ts)
// and answers once they are stored (a beacon, whose client does not wait for the answer,
// may be held for others to share its commit; any other request is committed at once); larger ones go to the TELEMETRY queue (enqueue.ts),
// whose consumer feeds the same objects the same way (entrances/telemetry-consumer.ts).
//
// Nothing lost, nothing counted twice. When an object's call fails (its commit failed,
// or it restarted, or the answer was lost after the commit), that object's events go to
// the queue instead, with the ids and receive time they already have. The consumer's
// ingest runs them through the same ledger: an event the object did commit is a copy and
// is dropped, the others are counted. Only events neither way took are reported failed
// (the route answers 503 naming them; a retry with the same Idempotency-Key repeats their
// ids).
import type { NormalizedEvent } from "../ingest/normalized";
import { monitorIdOf } from "../monitor/monitor-id";
import { enqueueReportingFailures, type MessageOptions } from "./enqueue";
import { routeEvents } from "./route";
import { cachedTombstones } from "./tombstone-cache";

/** Requests with at most this many events go to the objects directly. */
export const DIRECT_MAX_EVENTS = 10;

export interface DeliveryOptions extends MessageOptions {
  /** The client does not wait for the answer (`?beacon=1`): the object may hold it. */
  beacon?: boolean;
}

/**
 * Hands over `events` (normalised, ids set) and returns the positions of those neither
 * the objects nor the queue took: [] when all were stored or queued.
 */
export async function deliverEvents(
  env: Env,
  projectId: string,
  receivedAt: number,
  events: readonly NormalizedEvent[],
  { beacon, ...options }: DeliveryOptions = {},
): Promise<number[]> {
  if (events.length > DIRECT_MAX_EVENTS) {
    return enqueueReportingFailures(env.TELEMETRY, projectId, receivedAt, events, options);
  }
  // Routed like a queue batch: the same grouping by monitor and the same tombstones.
  const copies = events.map((e) => ({ ...e }));
  const position = new Map<NormalizedEvent, number>(copies.map((e, i) => [e, i]));
  const requests = routeEvents(
    [{ projectId, receivedAt, events: copies, ...(options.examples ? { examples: true } : {}) }],
    await cachedTombstones(env.DB, projectId),
  );
  const fallback: number[] = [];
  await Promise.all(
    requests.map(async (r) => {
      try {
        const req = beacon ? { ...r, beacon } : r;
        await env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(r.monitor)).intake(req);
      } catch (err) {
        console.warn("direct intake failed; queueing instead", err);
        for (const e of r.events) fallback.push(position.get(e) ?? -1);
      }
    }),
  );
  if (fallback.length === 0) return [];
  fallback.sort((a, b) => a - b);
  const queued = fallback.flatMap((i) => {
    const e = events[i];
    return e ? [e] : [];
  });
  const failed = await enqueueReportingFailures(
    env.TELEMETRY,
    projectId,
    receivedAt,
    queued,
    options,
  );
  return failed.map((j) => fallback[j] ?? -1);
}
