// A project's deletion tombstones for the direct intake (deliver.ts), cached per isolate so
// a beacon costs no D1 read in the steady state. The queue consumer reads them fresh per
// batch; an isolate here may miss a new tombstone for TTL_MS, which is shorter than the
// wait before a deletion empties the deployment's Durable Object
// (src/deletion/run.ts, IN_FLIGHT_GRACE_MS): events that slip in meanwhile are emptied
// with the object.
import { readTombstones, type Tombstone } from "./route";

export const TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;
const cache = new Map<string, { value: Promise<Tombstone[]>; expires: number }>();

export function cachedTombstones(db: D1Database, projectId: string): Promise<Tombstone[]> {
  const now = Date.now();
  const hit = cache.get(projectId);
  if (hit && hit.expires > now) return hit.value;
  const value = readTombstones(db, [projectId]);
  // A failed read is not cached: the next request tries again.
  value.catch(() => {
    if (cache.get(projectId)?.value === value) cache.delete(projectId);
  });
  cache.delete(projectId);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(projectId, { value, expires: now + TTL_MS });
  return value;
}

/** Called when this isolate writes a tombstone: its own requests see it at once. */
export function forgetTombstones(projectId: string): void {
  cache.delete(projectId);
}
