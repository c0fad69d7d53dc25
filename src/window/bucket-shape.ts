// The shape of a time bucket: its counters, distributions and categorical
// dimensions as ordered constants (the encoded form is positional), and emptyBucket.
import type { Counts } from "./capped-counts";
import { dict } from "./capped-counts";
import { createSketch, type Sketch } from "./sketch";

/** Summed counters; the order is the order of the encoded form, so only append. */
export const COUNTERS = [
  "count", // interactions
  "ok",
  "error",
  "timeout",
  "refused",
  "filtered",
  "escalated",
  "unanswered",
  "feedback_up", // from interactions and feedback events
  "feedback_down",
  "feedback_events", // feedback events (not interactions carrying feedback)
  "rating_count",
  "rating_sum",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "cost_events", // interactions with a cost_usd
  "evals_dropped", // eval scores whose name did not fit under MAX_EVALS
  "tag_keys_dropped", // tag values whose key did not fit under MAX_TAG_KEYS
] as const;
export type Counter = (typeof COUNTERS)[number];

export const DISTRIBUTIONS = [
  "latency_ms",
  "ttft_ms",
  "output_tokens",
  "output_chars",
  "retrieval_top_score",
] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export const DIMENSIONS = [
  "model",
  "provider",
  "finish_reason",
  "prompt_version",
  "error_type",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const MAX_EVALS = 16;
export const MAX_TAG_KEYS = 16;

export interface Bucket {
  counters: Record<Counter, number>;
  dists: Record<Distribution, Sketch>;
  /** One sketch per custom eval name, at most MAX_EVALS names. */
  evals: Record<string, Sketch>;
  dims: Record<Dimension, Counts>;
  /** Value counts per tag key, at most MAX_TAG_KEYS keys. */
  tags: Record<string, Counts>;
  /** Cost (USD) per model of the interactions with a cost and a model: MAX_VALUES models plus OTHER. */
  model_cost: Counts;
}

const fromKeys = <K extends string, V>(keys: readonly K[], make: () => V) =>
  Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, V>;

export function emptyBucket(): Bucket {
  return {
    counters: fromKeys(COUNTERS, () => 0),
    dists: fromKeys(DISTRIBUTIONS, createSketch),
    evals: dict<Sketch>(),
    dims: fromKeys(DIMENSIONS, dict<number>),
    tags: dict<Counts>(),
    model_cost: dict<number>(),
  };
}
