// One time bucket of a deployment: counters, quantile sketches and capped
// categorical counts, built from NormalizedEvents and merged into windows.
import type { NormalizedEvent, NormalizedInteraction } from "../ingest/normalized";
import {
  type Bucket,
  COUNTERS,
  type Counter,
  DIMENSIONS,
  DISTRIBUTIONS,
  MAX_EVALS,
  MAX_TAG_KEYS,
} from "./bucket-shape";
import {
  copyCounts,
  countValue,
  dict,
  get,
  has,
  largest,
  mergeCounts,
  put,
  totalCount,
} from "./capped-counts";
import { saturatingAdd } from "./saturating";
import { createSketch, type Sketch, sketchAdd, sketchMerge } from "./sketch";

export { decodeBucket, encodeBucket } from "./bucket-codec";
export * from "./bucket-shape";
export type { Counts } from "./capped-counts";

function addFeedback(c: Record<Counter, number>, feedback?: -1 | 0 | 1, rating?: number): void {
  if (feedback === 1) c.feedback_up += 1;
  if (feedback === -1) c.feedback_down += 1;
  if (rating !== undefined && Number.isFinite(rating)) {
    c.rating_count += 1;
    c.rating_sum = saturatingAdd(c.rating_sum, rating);
  }
}

function observe(sketch: Sketch, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) sketchAdd(sketch, value);
}

function addEvals(b: Bucket, evals: Record<string, number> | undefined): void {
  for (const [name, score] of Object.entries(evals ?? {})) {
    if (!Number.isFinite(score)) continue;
    if (!has(b.evals, name) && Object.keys(b.evals).length >= MAX_EVALS) {
      b.counters.evals_dropped += 1;
    } else observe(get(b.evals, name) ?? put(b.evals, name, createSketch()), score);
  }
}

function addInteraction(b: Bucket, e: NormalizedInteraction): void {
  const c = b.counters;
  c.count += 1;
  c[e.status] += 1;
  if (e.escalated) c.escalated += 1;
  if (e.unanswered) c.unanswered += 1;
  addFeedback(c, e.feedback, e.rating);
  // Sums saturate rather than overflow (see saturating.ts); ingest bounds keep them exact.
  c.input_tokens = saturatingAdd(c.input_tokens, e.input_tokens ?? 0);
  c.output_tokens = saturatingAdd(c.output_tokens, e.output_tokens ?? 0);
  if (e.cost_usd !== undefined && Number.isFinite(e.cost_usd)) {
    c.cost_usd = saturatingAdd(c.cost_usd, e.cost_usd);
    c.cost_events += 1;
    if (e.model !== undefined) countValue(b.model_cost, e.model, e.cost_usd);
  }
  observe(b.dists.latency_ms, e.latency_ms);
  observe(b.dists.ttft_ms, e.ttft_ms);
  observe(b.dists.output_tokens, e.output_tokens);
  observe(b.dists.output_chars, e.output_chars);
  observe(b.dists.retrieval_top_score, e.retrieval?.top_score);
  addEvals(b, e.evals);
  for (const dim of DIMENSIONS) {
    const value = e[dim];
    if (value !== undefined) countValue(b.dims[dim], value);
  }
  for (const [key, value] of Object.entries(e.tags ?? {})) {
    if (!has(b.tags, key) && Object.keys(b.tags).length >= MAX_TAG_KEYS) c.tag_keys_dropped += 1;
    else countValue(get(b.tags, key) ?? put(b.tags, key, dict<number>()), value);
  }
}

/**
 * Counts one event. An interaction updates counters, sketches, categories and any
 * feedback/rating it carries; a feedback event only feedback_events, thumbs and rating; an
 * eval event only the eval sketches.
 * Returns b (mutated).
 */
export function addEvent(b: Bucket, e: NormalizedEvent): Bucket {
  if (e.type === "interaction") addInteraction(b, e);
  else if (e.type === "eval") addEvals(b, e.evals);
  else {
    b.counters.feedback_events += 1;
    addFeedback(b.counters, e.feedback, e.rating);
  }
  return b;
}

/**
 * Adds `from` into `into` (from is not shared or changed). Counters add exactly.
 * Caps hold after the merge: the largest values/names/keys stay (ties by name),
 * dropped values fold into OTHER, dropped eval names and tag keys into the counters.
 */
export function mergeBuckets(into: Bucket, from: Bucket): Bucket {
  for (const k of COUNTERS) into.counters[k] = saturatingAdd(into.counters[k], from.counters[k]);
  for (const d of DISTRIBUTIONS) sketchMerge(into.dists[d], from.dists[d]);
  for (const d of DIMENSIONS) mergeCounts(into.dims[d], from.dims[d]);
  mergeCounts(into.model_cost, from.model_cost);
  for (const [name, sketch] of Object.entries(from.evals)) {
    sketchMerge(get(into.evals, name) ?? put(into.evals, name, createSketch()), sketch);
  }
  for (const name of largest(into.evals, (s) => s.count, MAX_EVALS).dropped) {
    into.counters.evals_dropped += get(into.evals, name)?.count ?? 0;
    delete into.evals[name];
  }
  for (const [key, counts] of Object.entries(from.tags)) {
    const target = get(into.tags, key);
    if (target) mergeCounts(target, counts);
    else put(into.tags, key, copyCounts(counts));
  }
  for (const key of largest(into.tags, totalCount, MAX_TAG_KEYS).dropped) {
    into.counters.tag_keys_dropped += totalCount(get(into.tags, key) ?? {});
    delete into.tags[key];
  }
  return into;
}
