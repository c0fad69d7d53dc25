// The dense, bounded bin store behind one sign of a quantile sketch: a window of
// contiguous bin indices that folds its lowest values once it would exceed its bound.
import { type BitReader, type BitWriter, countsCost } from "./bit-code";

/** At most this many bins (contiguous indices) per store. */
export const MAX_BINS = 1024;

/** Counts for bin indices offset, offset+1, …; empty when counts is []. */
export interface SketchStore {
  offset: number;
  counts: number[];
}

/**
 * Which end survives when the window is full. Lowest VALUES are folded in both
 * stores: the positive store keeps its high indices, the negative store (indexed
 * by |v|) keeps its low ones, so upper quantiles stay accurate (DDSketch's
 * collapsing-lowest policy). The fold is order-independent: the final window is
 * fixed by the extreme indices seen, so merging sketches equals adding all values.
 */
export type Keep = "high" | "low";

export function emptyStore(): SketchStore {
  return { offset: 0, counts: [] };
}

export function storeEnd(store: SketchStore): number {
  return store.offset + store.counts.length - 1;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Widens the window to cover [lo, hi], capped at MAX_BINS, folding what falls off. */
function widen(store: SketchStore, lo: number, hi: number, keep: Keep): void {
  const empty = store.counts.length === 0;
  let from = empty ? lo : Math.min(lo, store.offset);
  let to = empty ? hi : Math.max(hi, storeEnd(store));
  if (to - from + 1 > MAX_BINS) {
    if (keep === "high") from = to - MAX_BINS + 1;
    else to = from + MAX_BINS - 1;
  }
  if (!empty && from === store.offset && to === storeEnd(store)) return;
  const counts = new Array<number>(to - from + 1).fill(0);
  store.counts.forEach((count, j) => {
    const k = clamp(store.offset + j, from, to) - from;
    counts[k] = (counts[k] ?? 0) + count;
  });
  store.offset = from;
  store.counts = counts;
}

function addAt(store: SketchStore, index: number, weight: number): void {
  const k = clamp(index, store.offset, storeEnd(store)) - store.offset;
  store.counts[k] = (store.counts[k] ?? 0) + weight;
}

export function storeAdd(store: SketchStore, index: number, weight: number, keep: Keep): void {
  widen(store, index, index, keep);
  addAt(store, index, weight);
}

export function storeMerge(into: SketchStore, from: SketchStore, keep: Keep): void {
  if (from.counts.length === 0) return;
  const source = into === from ? [...from.counts] : from.counts;
  const offset = from.offset;
  widen(into, offset, offset + source.length - 1, keep);
  source.forEach((count, j) => {
    if (count > 0) addAt(into, offset + j, count);
  });
}

/** Differences between neighbouring counts, zigzagged to non-negative integers. */
function toDeltas(counts: readonly number[]): number[] {
  return counts.map((count, i) => {
    const delta = count - (counts[i - 1] ?? 0);
    return delta < 0 ? -2 * delta - 1 : 2 * delta;
  });
}

function fromDeltas(deltas: readonly number[]): number[] {
  let previous = 0;
  return deltas.map((z) => {
    previous += z % 2 === 1 ? -(z + 1) / 2 : z / 2;
    return previous;
  });
}

/**
 * Store code: the span (number of bins), then, if not 0, the offset, one bit
 * choosing how counts are coded (0: the counts, 1: zigzagged differences between
 * neighbours, cheaper where counts are large and smooth) and the Rice-coded run.
 */
export function writeStore(out: BitWriter, store: SketchStore): void {
  out.uint(store.counts.length);
  if (store.counts.length === 0) return;
  out.int(store.offset);
  const deltas = toDeltas(store.counts);
  const useDeltas = countsCost(deltas) < countsCost(store.counts);
  out.bits(useDeltas ? 1 : 0, 1);
  out.counts(useDeltas ? deltas : store.counts);
}

export function readStore(input: BitReader): SketchStore {
  const span = input.uint();
  if (span === 0) return emptyStore();
  if (span > MAX_BINS) throw new SyntaxError("sketch: store wider than MAX_BINS");
  const offset = input.int();
  const useDeltas = input.bits(1) === 1;
  const counts = useDeltas ? fromDeltas(input.counts(span)) : input.counts(span);
  if (counts.some((c) => c < 0) || counts[0] === 0 || counts[span - 1] === 0) {
    throw new SyntaxError("sketch: bad store counts");
  }
  return { offset, counts };
}
