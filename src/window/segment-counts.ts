// Outcome counts per segment (one value of one dimension: model=gpt-4o, locale=ja), so an
// alert can say where its change is. Bounded and mergeable like the bucket's categorical
// counts: at most MAX_SEGMENT_DIMENSIONS dimensions of MAX_VALUES values each plus OTHER,
// nine counters per value: 9 × 21 × 9 = 1,701 numbers at most per bucket (about 7 KB as
// JSON); a deployment with 3 models, 1 provider, 2 prompt versions, 3 finish reasons and
// a 5-value tag holds 14 segments (~0.5 KB).
import type { NormalizedEvent, NormalizedInteraction } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { dict, get, has, largest, MAX_VALUES, OTHER, put } from "./capped-counts";

/** What is counted per segment; the order is the stored order, so only append. */
export const SEGMENT_OUTCOMES = [
  "count", // interactions
  "error",
  "timeout",
  "refused",
  "filtered",
  "escalated",
  "unanswered",
  "feedback_up", // thumbs carried by interactions (late feedback events name no segment)
  "feedback_down",
] as const;
export type SegmentOutcome = (typeof SEGMENT_OUTCOMES)[number];

/** The event fields segmented always; tag keys come after them, first seen first kept. */
export const SEGMENT_FIELDS = [
  "model",
  "provider",
  "prompt_version",
  "release",
  "finish_reason",
] as const;
export const MAX_SEGMENT_TAG_KEYS = 4;
export const MAX_SEGMENT_DIMENSIONS = SEGMENT_FIELDS.length + MAX_SEGMENT_TAG_KEYS;

/** Per dimension ("model", "tags.locale"), per value, the counters in SEGMENT_OUTCOMES order. */
export type SegmentCounts = Record<string, Record<string, number[]>>;

export const emptySegments = (): SegmentCounts => dict();

const zeros = () => SEGMENT_OUTCOMES.map(() => 0);
const total = (values: Record<string, number[]>) =>
  Object.values(values).reduce((a, row) => a + (row[0] ?? 0), 0);
const named = (values: Record<string, number[]>) =>
  Object.keys(values).filter((k) => k !== OTHER).length;

function addRow(into: number[], from: readonly number[]): void {
  for (let i = 0; i < SEGMENT_OUTCOMES.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function rowOf(e: NormalizedInteraction): number[] {
  const row = zeros();
  row[0] = 1;
  const at = (k: SegmentOutcome) => SEGMENT_OUTCOMES.indexOf(k);
  if (e.status !== "ok") row[at(e.status)] = 1;
  if (e.escalated) row[at("escalated")] = 1;
  if (e.unanswered) row[at("unanswered")] = 1;
  if (e.feedback === 1) row[at("feedback_up")] = 1;
  if (e.feedback === -1) row[at("feedback_down")] = 1;
  return row;
}

function countIn(
  s: SegmentCounts,
  dimension: string,
  value: string,
  row: readonly number[],
  capped = true,
) {
  const values = get(s, dimension) ?? put(s, dimension, dict<number[]>());
  const key = !capped || has(values, value) || named(values) < MAX_VALUES ? value : OTHER;
  addRow(get(values, key) ?? put(values, key, zeros()), row);
}

/**
 * Counts one event: interactions only (feedback and eval events carry no segment). Capped
 * (the default), a value beyond a dimension's first MAX_VALUES goes to OTHER as it arrives;
 * uncapped, every value and tag key is counted, for a batch that mergeSegments then folds
 * by count (segmentMinutes).
 */
export function addSegmentEvent(
  s: SegmentCounts,
  e: NormalizedEvent,
  capped = true,
): SegmentCounts {
  if (e.type !== "interaction") return s;
  const row = rowOf(e);
  for (const field of SEGMENT_FIELDS) {
    const value = e[field];
    if (value !== undefined) countIn(s, field, value, row, capped);
  }
  for (const [key, value] of Object.entries(e.tags ?? {})) {
    const dimension = `tags.${key}`;
    if (capped && !has(s, dimension) && Object.keys(s).length >= MAX_SEGMENT_DIMENSIONS) continue;
    countIn(s, dimension, value, row, capped);
  }
  return s;
}

/**
 * Adds `from` into `into`. The caps hold after the merge: per dimension the MAX_VALUES
 * values with the most interactions stay and the rest fold into OTHER; of the tag keys the
 * MAX_SEGMENT_TAG_KEYS with the most interactions stay. Deterministic (ties by name).
 */
export function mergeSegments(into: SegmentCounts, from: SegmentCounts): SegmentCounts {
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

/** JSON text for storage; "" for no segments. */
export function encodeSegments(s: SegmentCounts): string {
  return Object.keys(s).length === 0 ? "" : JSON.stringify(s);
}

/** Reads encodeSegments output back; throws SyntaxError on anything else. */
export function decodeSegments(text: string): SegmentCounts {
  const out = emptySegments();
  if (text === "") return out;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null)
    throw new SyntaxError("segments: not an object");
  for (const [dimension, values] of Object.entries(parsed)) {
    if (typeof values !== "object" || values === null)
      throw new SyntaxError("segments: bad dimension");
    const target = put(out, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      const ok =
        Array.isArray(row) &&
        row.length === SEGMENT_OUTCOMES.length &&
        row.every((n) => Number.isSafeInteger(n) && n >= 0);
      if (!ok) throw new SyntaxError(`segments: bad counts for ${dimension}=${value}`);
      put(target, value, row as number[]);
    }
  }
  return out;
}

/**
 * The events' segment counts per 1-minute bucket start (epoch ms). Counted uncapped, then
 * folded by count: the values a minute keeps are its busiest, not its first to arrive (a
 * value holding 10 % of 100 values' traffic missed the first 20 arrivals one minute in ten).
 * The batch bounds the uncapped counts.
 */
export function segmentMinutes(events: Iterable<NormalizedEvent>): Map<number, SegmentCounts> {
  const byMinute = new Map<number, SegmentCounts>();
  for (const e of events) {
    if (e.type !== "interaction") continue;
    const start = minuteOf(e.ts);
    const s = byMinute.get(start) ?? emptySegments();
    byMinute.set(start, addSegmentEvent(s, e, false));
  }
  for (const [start, raw] of byMinute) byMinute.set(start, mergeSegments(emptySegments(), raw));
  return byMinute;
}
