// A project's deletion tombstones for the direct intake (deliver.ts), cached per isolate so
// a beacon costs no D1 read in the steady state. The queue consumer reads them fresh per
// batch; an isolate here may miss a new tombstone for TTL_MS, which is shorter than the
// wait before a deletion empties the deployment's Durable Object
// (src/deletion/run.ts, IN_FLIGHT_GRACE_MS): events that slip in meanwhile are emptied
// with the object.
import { PromiseCache } from "../shared/promise-cache";
import { readTombstones, type Tombstone } from "./route";

export const TTL_MS = 30_000;
const cache = new PromiseCache<Tombstone[]>(TTL_MS, 1_000);

export function cachedTombstones(db: D1Database, projectId: string): Promise<Tombstone[]> {
  return cache.get(projectId, () => readTombstones(db, [projectId]));
}

/** Called when this isolate writes a tombstone: its own requests see it at once. */
export function forgetTombstones(projectId: string): void {
  cache.forget(projectId);
}
