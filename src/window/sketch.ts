// DDSketch-style mergeable quantile sketch over plain JSON data: log-indexed bins
// with 1 % relative accuracy, bounded to MAX_BINS bins per sign, plus exact count/sum/min/max.
//
// A magnitude m > 0 falls in bin i = ceil(log_gamma(m)), covering (gamma^(i-1), gamma^i],
// whose representative 2·gamma^i/(gamma+1) is within ALPHA relative of every value in it.
// Positive values, negative values (by |v|) and zeros are kept apart.
import { bitReader, bitWriter } from "./bit-code";
import { saturatingAdd } from "./saturating";
import {
  emptyStore,
  type Keep,
  MAX_BINS,
  readStore,
  type SketchStore,
  storeAdd,
  storeEnd,
  storeMerge,
  writeStore,
} from "./sketch-store";

export { MAX_BINS, type SketchStore };

export const SKETCH_ALPHA = 0.01;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Smaller magnitudes (subnormal doubles, too imprecise to index) count as zero. */
const MIN_MAGNITUDE = 2.2250738585072014e-308 * GAMMA;
const POSITIVE: Keep = "high";
const NEGATIVE: Keep = "low";

export interface Sketch {
  /** Total weight; min and max are meaningful only when it is > 0. */
  count: number;
  sum: number;
  min: number;
  max: number;
  zero: number;
  pos: SketchStore;
  neg: SketchStore;
}

export interface SketchBin {
  lower: number;
  upper: number;
  /** The value the sketch reports for everything in this bin. */
  value: number;
  count: number;
}

export function createSketch(): Sketch {
  return { count: 0, sum: 0, min: 0, max: 0, zero: 0, pos: emptyStore(), neg: emptyStore() };
}

// NOTE: Math.ceil of a small negative log gives -0; `|| 0` keeps offsets plain 0.
const indexOf = (magnitude: number) => Math.ceil(Math.log(magnitude) / LOG_GAMMA) || 0;
const representative = (index: number) => (2 * GAMMA ** index) / (GAMMA + 1);

/** Adds a finite value with a positive integer weight; returns s (mutated). */
export function sketchAdd(s: Sketch, value: number, weight = 1): Sketch {
  if (!Number.isFinite(value)) throw new RangeError(`sketch: value must be finite, got ${value}`);
  if (!Number.isSafeInteger(weight) || weight <= 0) {
    throw new RangeError(`sketch: weight must be a positive integer, got ${weight}`);
  }
  const v = value === 0 ? 0 : value; // folds -0 into 0
  s.min = s.count === 0 ? v : Math.min(s.min, v);
  s.max = s.count === 0 ? v : Math.max(s.max, v);
  s.count += weight;
  // The sum saturates: exact for any realistic data, never Infinity for absurd data.
  s.sum = saturatingAdd(s.sum, v * weight);
  if (v >= MIN_MAGNITUDE) storeAdd(s.pos, indexOf(v), weight, POSITIVE);
  else if (v <= -MIN_MAGNITUDE) storeAdd(s.neg, indexOf(-v), weight, NEGATIVE);
  else s.zero += weight;
  return s;
}

/** Adds everything in `from` to `into`; returns into (mutated). */
export function sketchMerge(into: Sketch, from: Sketch): Sketch {
  if (from.count === 0) return into;
  into.min = into.count === 0 ? from.min : Math.min(into.min, from.min);
  into.max = into.count === 0 ? from.max : Math.max(into.max, from.max);
  into.count += from.count;
  into.sum = saturatingAdd(into.sum, from.sum);
  into.zero += from.zero;
  storeMerge(into.pos, from.pos, POSITIVE);
  storeMerge(into.neg, from.neg, NEGATIVE);
  return into;
}

/** Non-empty bins in ascending order of value, the outermost bounds tightened to min/max. */
export function sketchBins(s: Sketch): SketchBin[] {
  const bins: SketchBin[] = [];
  const clamp = (x: number) => Math.min(s.max, Math.max(s.min, x));
  for (let i = storeEnd(s.neg); i >= s.neg.offset; i--) {
    const count = s.neg.counts[i - s.neg.offset] ?? 0;
    if (count === 0) continue;
    const value = clamp(-representative(i));
    bins.push({ lower: -(GAMMA ** i), upper: -(GAMMA ** (i - 1)), value, count });
  }
  if (s.zero > 0) bins.push({ lower: 0, upper: 0, value: 0, count: s.zero });
  s.pos.counts.forEach((count, j) => {
    if (count === 0) return;
    const i = s.pos.offset + j;
    bins.push({
      lower: GAMMA ** (i - 1),
      upper: GAMMA ** i,
      value: clamp(representative(i)),
      count,
    });
  });
  const first = bins[0];
  const last = bins[bins.length - 1];
  if (first) first.lower = s.min;
  if (last) last.upper = s.max;
  return bins;
}

/**
 * The q-quantile, q in [0, 1]: an estimate within 1 % relative error (ALPHA) of the
 * exact value at 0-based rank floor(q·(n−1)) of the values sorted ascending, n = count
 * (weights count as repeated values). Exact for zeros; undefined when empty. The
 * guarantee holds for ranks above any folded (collapsed) low bins, and for values
 * of magnitude >= 2.3e-308 (smaller, subnormal ones are counted as zero).
 */
export function sketchQuantile(s: Sketch, q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sketch: quantile must be in [0, 1], got ${q}`);
  if (s.count === 0) return undefined;
  const rank = Math.floor(q * (s.count - 1));
  let seen = 0;
  for (const bin of sketchBins(s)) {
    seen += bin.count;
    if (seen > rank) return bin.value;
  }
  return s.max;
}

/**
 * Fraction of the mass <= x, each bin's mass sitting at its reported value (so it
 * is the step function the quantiles invert); undefined when empty.
 */
export function sketchCdf(s: Sketch, x: number): number | undefined {
  if (s.count === 0) return undefined;
  if (x < s.min) return 0;
  if (x >= s.max) return 1;
  let below = 0;
  for (const bin of sketchBins(s)) {
    if (bin.value > x) break;
    below += bin.count;
  }
  return below / s.count;
}

export function sketchMean(s: Sketch): number | undefined {
  return s.count === 0 ? undefined : s.sum / s.count;
}

/**
 * Compact text code: "" for the empty sketch, else one base64 bit stream
 * (bit-code.ts) holding, in order,
 *   sum, min, max   exact doubles (BitWriter.float: integer, short decimal or IEEE bits)
 *   zero            uint
 *   positive store, negative store   (writeStore in sketch-store.ts: span, offset,
 *                   one mode bit, then every bin count of the span, raw or as
 *                   neighbour differences, in an adaptive Rice code)
 * count is the sum of all bins. A bin costs about log2(its count, or its change
 * from its neighbour) + 2 bits and an empty one ~1 bit: 1..100 takes 69 characters,
 * 1 000 lognormal doubles (sigma 1) about 200, 100 000 about 440.
 */
export function encodeSketch(s: Sketch): string {
  if (s.count === 0) return "";
  const out = bitWriter();
  out.float(s.sum);
  out.float(s.min);
  out.float(s.max);
  out.uint(s.zero);
  writeStore(out, s.pos);
  writeStore(out, s.neg);
  return out.finish();
}

export function decodeSketch(text: string): Sketch {
  if (text === "") return createSketch();
  const input = bitReader(text);
  const [sum, min, max] = [input.float(), input.float(), input.float()];
  const zero = input.uint();
  const pos = readStore(input);
  const neg = readStore(input);
  if (!input.done()) throw new SyntaxError("sketch: trailing data");
  if (![sum, min, max].every(Number.isFinite) || min > max) {
    throw new SyntaxError("sketch: bad sum, min or max");
  }
  const total = (store: SketchStore) => store.counts.reduce((a, b) => a + b, 0);
  const count = zero + total(pos) + total(neg);
  if (count === 0) throw new SyntaxError("sketch: non-empty code without mass");
  return { count, sum, min, max, zero, pos, neg };
}
