// A sketch read once into a step CDF (sorted bin values and cumulative counts), so quantile
// bins, PSI counts, KS and Wasserstein need one pass over the bins instead of one per point.
import { type Sketch, sketchBins } from "../../window/sketch";

export interface Steps {
  /** Bin values, ascending (what the sketch reports for everything in each bin). */
  values: number[];
  counts: number[];
  /** cumulative[i] = counts[0] + ... + counts[i]. */
  cumulative: number[];
  total: number;
  /** The sketch's exact min and max (its CDF is 0 below min and 1 from max on). */
  min: number;
  max: number;
}

interface Cached {
  count: number;
  sum: number;
  steps: Steps;
}

// sketchBins costs tens of µs on a wide sketch, and one baseline feeds several rules (and, in
// a long-lived evaluator, several ticks). Sketches only grow (add and merge raise count), so a
// cached entry whose count and sum still match is current.
const cache = new WeakMap<Sketch, Cached>();

/** The sketch's step CDF; cached per sketch object until the sketch changes. */
export function stepsOf(s: Sketch): Steps {
  const hit = cache.get(s);
  if (hit && hit.count === s.count && Object.is(hit.sum, s.sum)) return hit.steps;
  const steps = computeSteps(s);
  cache.set(s, { count: s.count, sum: s.sum, steps });
  return steps;
}

function computeSteps(s: Sketch): Steps {
  const values: number[] = [];
  const counts: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const bin of sketchBins(s)) {
    total += bin.count;
    values.push(bin.value);
    counts.push(bin.count);
    cumulative.push(total);
  }
  return { values, counts, cumulative, total, min: s.min, max: s.max };
}

/** Count of the mass at values <= x: sketchCdf(s, x) * count, by binary search. */
export function countAtOrBelow(steps: Steps, x: number): number {
  if (x < steps.min) return 0;
  if (x >= steps.max) return steps.total;
  let lo = 0;
  let hi = steps.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((steps.values[mid] ?? Number.POSITIVE_INFINITY) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (steps.cumulative[lo - 1] ?? 0);
}

/** The q-quantile as sketchQuantile reports it: the bin holding rank floor(q (n - 1)). */
export function stepQuantile(steps: Steps, q: number): number | undefined {
  const rank = Math.floor(q * (steps.total - 1));
  for (let i = 0; i < steps.values.length; i++) {
    if ((steps.cumulative[i] ?? 0) > rank) return steps.values[i];
  }
  return steps.values[steps.values.length - 1];
}

/**
 * Bin edges at the baseline's j/k quantiles (j = 1..k-1), duplicates dropped; bins are
 * (-inf, e1], (e1, e2], ..., (e_last, inf). A baseline on one value still gets one edge.
 */
export function quantileEdges(baseline: Steps, k: number): number[] {
  const edges: number[] = [];
  for (let j = 1; j < k; j++) {
    const e = stepQuantile(baseline, j / k);
    if (e !== undefined && e !== edges[edges.length - 1]) edges.push(e);
  }
  if (edges.length === 0 && baseline.values[0] !== undefined) edges.push(baseline.values[0]);
  return edges;
}

/** Counts per bin between consecutive edges (edges.length + 1 bins). */
export function binCounts(steps: Steps, edges: readonly number[]): number[] {
  const out: number[] = [];
  let below = 0;
  for (const e of edges) {
    const upTo = countAtOrBelow(steps, e);
    out.push(upTo - below);
    below = upTo;
  }
  out.push(steps.total - below);
  return out;
}
