// A per-isolate cache of loads by key: a hit for ttlMs, at most maxEntries keys (the
// oldest goes first), and a failed load is not cached, so the next caller tries again.
// Used where a beacon must cost no D1 read in the steady state.

export class PromiseCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = load();
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  /** Drops a key, so this isolate's next get loads it afresh. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
