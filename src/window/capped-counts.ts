// Capped categorical counts ({value: count}) and capped string-keyed maps: bounded
// memory per bucket however many distinct models, tags or eval names arrive.

/** Count per value; at most MAX_VALUES named values plus OTHER. */
export type Counts = Record<string, number>;

export const MAX_VALUES = 20;
/** Where values beyond the cap are counted. */
export const OTHER = "other";

/** A record without a prototype, so user-supplied keys never meet inherited ones. */
export function dict<T>(): Record<string, T> {
  return Object.create(null);
}

export function has(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

// NOTE: buckets also arrive by RPC (structured clone), which rebuilds records with
// Object.prototype; get/put keep keys like "constructor" and "__proto__" ordinary.
export function get<T>(record: Record<string, T>, key: string): T | undefined {
  return has(record, key) ? record[key] : undefined;
}

export function put<T>(record: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return value;
}

const named = (counts: Counts) => Object.keys(counts).filter((k) => k !== OTHER).length;

/** Counts `value`, or OTHER once MAX_VALUES named values are held and it is new. */
export function countValue(counts: Counts, value: string, n = 1): void {
  // Hot path (every event, every dimension): an existing own key is a plain assignment,
  // which finds the own property before any inherited accessor such as __proto__.
  const key = has(counts, value) || named(counts) < MAX_VALUES ? value : OTHER;
  if (has(counts, key)) counts[key] = (counts[key] ?? 0) + n;
  else put(counts, key, n);
}

/**
 * Orders keys by descending weight, then by key, and splits them into the first
 * `cap` (kept) and the rest (dropped). Deterministic, so merges are reproducible.
 */
export function largest<T>(
  record: Record<string, T>,
  weight: (value: T) => number,
  cap: number,
): { kept: string[]; dropped: string[] } {
  const keys = Object.entries(record)
    .map(([key, value]) => ({ key, w: weight(value) }))
    .sort((a, b) => b.w - a.w || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key }) => key);
  return { kept: keys.slice(0, cap), dropped: keys.slice(cap) };
}

/** Adds `from` into `into`; if more than MAX_VALUES named values result, the largest stay. */
export function mergeCounts(into: Counts, from: Counts): void {
  for (const [value, n] of Object.entries(from)) put(into, value, (get(into, value) ?? 0) + n);
  if (named(into) <= MAX_VALUES) return;
  const values = dict<number>();
  for (const [value, n] of Object.entries(into)) if (value !== OTHER) put(values, value, n);
  for (const value of largest(values, (n) => n, MAX_VALUES).dropped) {
    put(into, OTHER, (get(into, OTHER) ?? 0) + (get(into, value) ?? 0));
    delete into[value];
  }
}

export function copyCounts(counts: Counts): Counts {
  const copy = dict<number>();
  for (const [value, n] of Object.entries(counts)) put(copy, value, n);
  return copy;
}

export function totalCount(counts: Counts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
