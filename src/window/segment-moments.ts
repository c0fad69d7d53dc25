// Per segment, the log-scale moments of the distribution metrics (latency, time to first
// token, output tokens and characters), so a distribution rule's alert can say whose values
// shifted. Per metric three numbers: how many values, Σ ln(1 + v) and Σ ln(1 + v)², which
// give the segment's geometric typical value and its spread on the log scale, and which add
// up exactly when buckets merge. Routed, capped and folded exactly like the segment counts
// (src/window/segment-counts.ts: the same dimensions, the top 20 values by interactions plus
// "other", 4 tag keys), so both keep the same segments. 13 numbers per value: 9 × 21 × 13 =
// 2,457 at most per bucket (~22 KB as JSON at 3 decimals); a deployment with 14 segments
// holds ~1.6 KB.
import type { NormalizedEvent } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { dict, get, has, largest, MAX_VALUES, OTHER, put } from "./capped-counts";
import { MAX_SEGMENT_DIMENSIONS, MAX_SEGMENT_TAG_KEYS, SEGMENT_FIELDS } from "./segment-counts";

/** The distribution metrics with moments per segment; the order is the stored order. */
export const MOMENT_METRICS = ["latency_ms", "ttft_ms", "output_tokens", "output_chars"] as const;
export type MomentMetric = (typeof MOMENT_METRICS)[number];

/** Row: [interactions, then per metric: values, Σ ln(1+v), Σ ln(1+v)²]. */
export const MOMENT_ROW = 1 + 3 * MOMENT_METRICS.length;

/** Per dimension ("model", "tags.locale"), per value, a MOMENT_ROW row. */
export type SegmentMoments = Record<string, Record<string, number[]>>;

export const emptyMoments = (): SegmentMoments => dict();

export const isMomentMetric = (m: string): m is MomentMetric =>
  (MOMENT_METRICS as readonly string[]).includes(m);

/** The moments of one metric in a row: values, mean and variance of ln(1 + v). */
export function momentsOf(
  row: readonly number[] | undefined,
  metric: MomentMetric,
): { n: number; mean: number; variance: number } {
  const at = 1 + 3 * MOMENT_METRICS.indexOf(metric);
  const n = row?.[at] ?? 0;
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = (row?.[at + 1] ?? 0) / n;
  const variance = Math.max(0, (row?.[at + 2] ?? 0) / n - mean * mean);
  return { n, mean, variance };
}

const zeros = () => new Array<number>(MOMENT_ROW).fill(0);
const total = (values: Record<string, number[]>) =>
  Object.values(values).reduce((a, row) => a + (row[0] ?? 0), 0);
const named = (values: Record<string, number[]>) =>
  Object.keys(values).filter((k) => k !== OTHER).length;

function addRow(into: number[], from: readonly number[]): void {
  for (let i = 0; i < MOMENT_ROW; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function rowOf(e: NormalizedEvent & { type: "interaction" }): number[] {
  const row = zeros();
  row[0] = 1;
  MOMENT_METRICS.forEach((metric, m) => {
    const v = e[metric];
    if (v === undefined || !Number.isFinite(v) || v < 0) return;
    const x = Math.log1p(v);
    row[1 + 3 * m] = 1;
    row[2 + 3 * m] = x;
    row[3 + 3 * m] = x * x;
  });
  return row;
}

function addIn(
  s: SegmentMoments,
  dimension: string,
  value: string,
  row: readonly number[],
  capped: boolean,
) {
  const values = get(s, dimension) ?? put(s, dimension, dict<number[]>());
  const key = !capped || has(values, value) || named(values) < MAX_VALUES ? value : OTHER;
  addRow(get(values, key) ?? put(values, key, zeros()), row);
}

/** Adds one event: interactions only, under the dimensions segment counts use (and capped alike). */
export function addMomentEvent(
  s: SegmentMoments,
  e: NormalizedEvent,
  capped = true,
): SegmentMoments {
  if (e.type !== "interaction") return s;
  const row = rowOf(e);
  for (const field of SEGMENT_FIELDS) {
    const value = e[field];
    if (value !== undefined) addIn(s, field, value, row, capped);
  }
  for (const [key, value] of Object.entries(e.tags ?? {})) {
    const dimension = `tags.${key}`;
    if (capped && !has(s, dimension) && Object.keys(s).length >= MAX_SEGMENT_DIMENSIONS) continue;
    addIn(s, dimension, value, row, capped);
  }
  return s;
}

/** Adds `from` into `into`, capped and folded as mergeSegments does. */
export function mergeMoments(into: SegmentMoments, from: SegmentMoments): SegmentMoments {
  for (const [dimension, values] of Object.entries(from)) {
    const target = get(into, dimension) ?? put(into, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      addRow(get(target, value) ?? put(target, value, zeros()), row);
    }
    if (named(target) <= MAX_VALUES) continue;
    const kept = dict<number[]>();
    for (const [value, row] of Object.entries(target)) if (value !== OTHER) put(kept, value, row);
    for (const value of largest(kept, (row) => row[0] ?? 0, MAX_VALUES).dropped) {
      addRow(get(target, OTHER) ?? put(target, OTHER, zeros()), get(target, value) ?? []);
      delete target[value];
    }
  }
  const tagKeys = dict<Record<string, number[]>>();
  for (const [dimension, values] of Object.entries(into)) {
    if (dimension.startsWith("tags.")) put(tagKeys, dimension, values);
  }
  for (const dimension of largest(tagKeys, total, MAX_SEGMENT_TAG_KEYS).dropped) {
    delete into[dimension];
  }
  return into;
}

/** JSON text for storage, sums at 3 decimals (ample for a log-scale mean); "" for none. */
export function encodeMoments(s: SegmentMoments): string {
  if (Object.keys(s).length === 0) return "";
  return JSON.stringify(s, (_, v) => (typeof v === "number" ? Math.round(v * 1000) / 1000 : v));
}

/** Reads encodeMoments output back; throws SyntaxError on anything else. */
export function decodeMoments(text: string): SegmentMoments {
  const out = emptyMoments();
  if (text === "") return out;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null)
    throw new SyntaxError("moments: not an object");
  for (const [dimension, values] of Object.entries(parsed)) {
    if (typeof values !== "object" || values === null)
      throw new SyntaxError("moments: bad dimension");
    const target = put(out, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      const ok =
        Array.isArray(row) &&
        row.length === MOMENT_ROW &&
        row.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0);
      if (!ok) throw new SyntaxError(`moments: bad row for ${dimension}=${value}`);
      put(target, value, row as number[]);
    }
  }
  return out;
}

/** The events' moments per 1-minute bucket start (epoch ms), folded by count as segmentMinutes. */
export function momentMinutes(events: Iterable<NormalizedEvent>): Map<number, SegmentMoments> {
  const byMinute = new Map<number, SegmentMoments>();
  for (const e of events) {
    if (e.type !== "interaction") continue;
    const start = minuteOf(e.ts);
    byMinute.set(start, addMomentEvent(byMinute.get(start) ?? emptyMoments(), e, false));
  }
  for (const [start, raw] of byMinute) byMinute.set(start, mergeMoments(emptyMoments(), raw));
  return byMinute;
}
