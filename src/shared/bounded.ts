// Concurrency with a bound: a slow task (a receiver, a probe) holds one slot, not the whole batch.

/** Calls `fn` on every item, at most `limit` at a time; settles when all have settled. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  // One iterator shared by the lanes: each takes the next item when it is free.
  const queue = items.values();
  const errors: unknown[] = [];
  const lane = async () => {
    for (const item of queue) await fn(item).catch((err: unknown) => errors.push(err));
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (errors.length > 0) throw errors[0];
}
