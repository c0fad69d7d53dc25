// A mergeable top-k sketch of weighted counts (USD of spend by user, session or tag value):
// weighted Misra–Gries, as in Agarwal et al., "Mergeable Summaries" (PODS 2012). Pure.
//
// At most `k` counters. Adding weight w to an untracked key when all k are taken inserts
// it and subtracts the smallest of the k + 1 counters from all of them (dropping those at
// zero); a merge adds the counters and subtracts the (k + 1)-th largest. `decrement` sums
// what was subtracted, so for every key:
//     true − decrement ≤ estimate ≤ true        (estimate 0 for an untracked key)
// and decrement ≤ (total − Σ counters) / (k + 1) ≤ total / (k + 1). Any key whose true
// weight exceeds total / (k + 1) is therefore tracked. Requests are counted per key while
// it is tracked (a lower bound too).

export interface TopKEntry {
  key: string;
  /** Lower bound of the key's weight; the true weight is at most `weight + decrement`. */
  weight: number;
  /** Requests counted while the key was tracked. */
  requests: number;
}

export interface TopK {
  k: number;
  /** Total weight added (exact). */
  total: number;
  /** Total requests added (exact). */
  requests: number;
  /** Sum of every subtraction: the error bound of each estimate. */
  decrement: number;
  entries: Record<string, { weight: number; requests: number }>;
}

export function createTopK(k: number): TopK {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  return { k, total: 0, requests: 0, decrement: 0, entries: Object.create(null) };
}

/** Subtracts `by` from every counter and drops those left at or below zero. */
function shrink(s: TopK, by: number): void {
  if (by <= 0) return;
  s.decrement += by;
  for (const [key, e] of Object.entries(s.entries)) {
    e.weight -= by;
    if (e.weight <= 0) delete s.entries[key];
  }
}

/** The (k + 1)-th largest weight when there are more than k counters, else 0. */
function excess(s: TopK): number {
  const weights = Object.values(s.entries).map((e) => e.weight);
  if (weights.length <= s.k) return 0;
  weights.sort((a, b) => b - a);
  return weights[s.k] ?? 0;
}

export function topKAdd(s: TopK, key: string, weight: number, requests = 1): void {
  if (!(weight > 0) || !Number.isFinite(weight)) return;
  s.total += weight;
  s.requests += requests;
  const e = s.entries[key];
  if (e) {
    e.weight += weight;
    e.requests += requests;
    return;
  }
  s.entries[key] = { weight, requests };
  shrink(s, excess(s));
}

/** Merges `b` into `a` (same k); the bounds hold for the union of both streams. */
export function topKMerge(a: TopK, b: TopK): void {
  a.total += b.total;
  a.requests += b.requests;
  a.decrement += b.decrement;
  for (const [key, e] of Object.entries(b.entries)) {
    const mine = a.entries[key];
    if (mine) {
      mine.weight += e.weight;
      mine.requests += e.requests;
    } else a.entries[key] = { ...e };
  }
  shrink(a, excess(a));
}

/** The `n` heaviest entries, heaviest first (ties by key). */
export function topKTop(s: TopK, n: number): TopKEntry[] {
  return Object.entries(s.entries)
    .map(([key, e]) => ({ key, weight: e.weight, requests: e.requests }))
    .sort((x, y) => y.weight - x.weight || (x.key < y.key ? -1 : 1))
    .slice(0, n);
}

export const encodeTopK = (s: TopK): string => JSON.stringify(s);

export function decodeTopK(text: string): TopK {
  const parsed = JSON.parse(text) as TopK;
  const entries: TopK["entries"] = Object.create(null);
  for (const [key, e] of Object.entries(parsed.entries)) entries[key] = e;
  return { ...parsed, entries };
}
