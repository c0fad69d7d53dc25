// Per segment, the moments of the distribution metrics, so a distribution rule's alert can
// say whose values shifted. Per metric three numbers: how many values, Σ x and Σ x², which
// give the segment's mean and spread and add up exactly when buckets merge. x is ln(1 + v)
// for latency, time to first token, output tokens and characters (skewed, ≥ 0: the mean is
// a geometric typical value) and v itself for the retrieval top score and custom eval scores
// (bounded scores, evals possibly negative: the mean is the arithmetic mean) and the cost in
// micro-USD (the mean is the cost per request, n × mean the segment's spend). Routed, capped
// and folded exactly like the segment counts (src/window/segment-counts.ts: the same
// dimensions, the top 20 values by interactions plus "other", 4 tag keys), so both keep the
// same segments. Eval names are columns after the fixed metrics, at most MAX_SEGMENT_EVALS
// per row (the busiest after a merge; more names are not attributed). A row is
// 1 + 3 × (6 + evals) numbers: at the caps 9 × 21 × 31 = 5,859 per bucket (~53 KB as JSON);
// a deployment with 14 segments, cost, retrieval and 2 evals holds ~3.2 KB (~2.1 KB with cost
// and without scores, ~1.7 KB with neither: trailing zeros are not stored).
import type { NormalizedEvent } from "../ingest/normalized";
import { minuteOf } from "../shared/time";
import { dict, get, has, largest, MAX_VALUES, OTHER, put } from "./capped-counts";
import {
  aligned,
  COST_COLUMN,
  COST_SCALE,
  capEvals,
  emptyMoments,
  FIRST_SCORE_COLUMN,
  FIXED_GROUPS,
  LOG_METRICS,
  MAX_SEGMENT_EVALS,
  MOMENT_METRICS,
  MOMENT_ROW,
  type SegmentMoments,
  zeros,
} from "./moment-row";
import { MAX_SEGMENT_DIMENSIONS, MAX_SEGMENT_TAG_KEYS, SEGMENT_FIELDS } from "./segment-counts";

export * from "./moment-row";

const total = (values: Record<string, number[]>) =>
  Object.values(values).reduce((a, row) => a + (row[0] ?? 0), 0);
const named = (values: Record<string, number[]>) =>
  Object.keys(values).filter((k) => k !== OTHER).length;

function addRow(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

function put3(row: number[], at: number, x: number): void {
  row[at] = 1;
  row[at + 1] = x;
  row[at + 2] = x * x;
}

function rowOf(e: NormalizedEvent & { type: "interaction" }, evals: readonly string[]): number[] {
  const row = zeros(evals.length);
  row[0] = 1;
  MOMENT_METRICS.forEach((metric, m) => {
    const v = metric === "retrieval_top_score" ? e.retrieval?.top_score : e[metric];
    if (v === undefined || !Number.isFinite(v) || (m < LOG_METRICS && v < 0)) return;
    put3(row, 1 + 3 * m, m < LOG_METRICS ? Math.log1p(v) : v);
  });
  const cost = e.cost_usd;
  if (cost !== undefined && Number.isFinite(cost) && cost >= 0)
    put3(row, COST_COLUMN, cost * COST_SCALE);
  evals.forEach((name, j) => {
    const v = e.evals && Object.hasOwn(e.evals, name) ? e.evals[name] : undefined;
    if (v !== undefined && Number.isFinite(v)) put3(row, MOMENT_ROW + 3 * j, v);
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
  const values = get(s.dims, dimension) ?? put(s.dims, dimension, dict<number[]>());
  const key = !capped || has(values, value) || named(values) < MAX_VALUES ? value : OTHER;
  addRow(get(values, key) ?? put(values, key, zeros(s.evals.length)), row);
}

/** Adds one event: interactions only, under the dimensions segment counts use (and capped alike). */
export function addMomentEvent(
  s: SegmentMoments,
  e: NormalizedEvent,
  capped = true,
): SegmentMoments {
  if (e.type !== "interaction") return s;
  for (const [name, v] of Object.entries(e.evals ?? {})) {
    if (!Number.isFinite(v) || s.evals.includes(name)) continue;
    if (!capped || s.evals.length < MAX_SEGMENT_EVALS) s.evals.push(name);
  }
  const row = rowOf(e, s.evals);
  for (const field of SEGMENT_FIELDS) {
    const value = e[field];
    if (value !== undefined) addIn(s, field, value, row, capped);
  }
  for (const [key, value] of Object.entries(e.tags ?? {})) {
    const dimension = `tags.${key}`;
    if (capped && !has(s.dims, dimension) && Object.keys(s.dims).length >= MAX_SEGMENT_DIMENSIONS)
      continue;
    addIn(s, dimension, value, row, capped);
  }
  return s;
}

/** Adds `from` into `into`, capped and folded as mergeSegments does. */
export function mergeMoments(into: SegmentMoments, from: SegmentMoments): SegmentMoments {
  const fromDims = aligned(into, from);
  const width = into.evals.length;
  for (const [dimension, values] of Object.entries(fromDims)) {
    const target = get(into.dims, dimension) ?? put(into.dims, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      addRow(get(target, value) ?? put(target, value, zeros(width)), row);
    }
    if (named(target) <= MAX_VALUES) continue;
    const kept = dict<number[]>();
    for (const [value, row] of Object.entries(target)) if (value !== OTHER) put(kept, value, row);
    for (const value of largest(kept, (row) => row[0] ?? 0, MAX_VALUES).dropped) {
      addRow(get(target, OTHER) ?? put(target, OTHER, zeros(width)), get(target, value) ?? []);
      delete target[value];
    }
  }
  const tagKeys = dict<Record<string, number[]>>();
  for (const [dimension, values] of Object.entries(into.dims)) {
    if (dimension.startsWith("tags.")) put(tagKeys, dimension, values);
  }
  for (const dimension of largest(tagKeys, total, MAX_SEGMENT_TAG_KEYS).dropped) {
    delete into.dims[dimension];
  }
  capEvals(into);
  return into;
}

/** Decimals a column is stored at: 3 on the log scale and for micro-USD, 6 for scores. */
const scaleOf = (column: number) =>
  column >= COST_COLUMN && column < COST_COLUMN + 3
    ? 1e3
    : column >= FIRST_SCORE_COLUMN
      ? 1e6
      : 1e3;

/**
 * JSON text for storage, "" for none. Sums at 3 decimals on the log scale (ample for a
 * log-scale mean) and of micro-USD, at 6 for scores (a retrieval score's spread can be
 * ~0.01). `metrics` says how many fixed groups of three lead each row (rows stored without
 * it have 5: no cost).
 */
export function encodeMoments(s: SegmentMoments): string {
  if (Object.keys(s.dims).length === 0) return "";
  const text = { metrics: FIXED_GROUPS, evals: s.evals, dims: s.dims };
  return JSON.stringify(text, (key, v: unknown) => {
    if (Array.isArray(v) && typeof v[0] === "number") {
      // Trailing zeros are not written: a deployment without scores stores what it did before.
      let end = v.length;
      while (end > 1 && v[end - 1] === 0) end--;
      return v.slice(0, end);
    }
    if (typeof v !== "number") return v;
    const scale = scaleOf(Number(key));
    return Math.round(v * scale) / scale;
  });
}

const COUNT_COLUMN = (i: number) => i === 0 || (i - 1) % 3 === 0;

/**
 * Reads encodeMoments output back (rows padded with the zeros it leaves out), rows stored
 * before the cost had moments (no `metrics`: 5 fixed groups, the eval columns moved after the
 * cost's) and before the retrieval score and evals had them (a bare dimensions object, 13
 * numbers a row); throws SyntaxError on anything else.
 */
export function decodeMoments(text: string): SegmentMoments {
  const out = emptyMoments();
  if (text === "") return out;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null)
    throw new SyntaxError("moments: not an object");
  const current = Object.hasOwn(parsed, "dims");
  const evals: unknown = current ? (parsed as { evals?: unknown }).evals : [];
  const dims: unknown = current ? (parsed as { dims?: unknown }).dims : parsed;
  const groups: unknown = current
    ? ((parsed as { metrics?: unknown }).metrics ?? FIXED_GROUPS - 1)
    : FIXED_GROUPS - 2;
  if (
    typeof groups !== "number" ||
    !Number.isInteger(groups) ||
    groups < 4 ||
    groups > FIXED_GROUPS
  )
    throw new SyntaxError("moments: bad metrics");
  const names = Array.isArray(evals) && evals.every((e) => typeof e === "string") ? evals : null;
  if (!names || names.length > MAX_SEGMENT_EVALS || new Set(names).size < names.length)
    throw new SyntaxError("moments: bad eval names");
  if (typeof dims !== "object" || dims === null) throw new SyntaxError("moments: bad dimensions");
  out.evals = names;
  const stored = 1 + 3 * groups; // where the stored row's eval columns start
  const width = stored + 3 * names.length;
  for (const [dimension, values] of Object.entries(dims)) {
    if (typeof values !== "object" || values === null)
      throw new SyntaxError("moments: bad dimension");
    const target = put(out.dims, dimension, dict<number[]>());
    for (const [value, row] of Object.entries(values)) {
      const ok =
        Array.isArray(row) &&
        row.length >= 1 &&
        row.length <= width &&
        row.every(
          (n, i) => typeof n === "number" && Number.isFinite(n) && (n >= 0 || !COUNT_COLUMN(i)),
        );
      if (!ok) throw new SyntaxError(`moments: bad row for ${dimension}=${value}`);
      const full = zeros(names.length);
      (row as number[]).forEach((n, i) => {
        full[i < stored ? i : i - stored + MOMENT_ROW] = n;
      });
      put(target, value, full);
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
