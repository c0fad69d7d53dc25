// Turns a Bucket (one bucket or a merged window) into the plain JSON the API
// serves: rates, quantiles, coarse histograms, categorical mix, tokens and cost.
import type { Status } from "../ingest/event-schema";
import type { Bucket, Dimension, Distribution } from "./bucket";
import type { Counts } from "./capped-counts";
import { type Sketch, sketchBins, sketchMean, sketchQuantile } from "./sketch";

/** Upper bound on histogram bins per distribution. */
export const HISTOGRAM_BINS = 20;

export interface HistogramBin {
  lower: number;
  upper: number;
  count: number;
}

export interface DistributionSummary {
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  histogram: HistogramBin[];
}

export interface WindowSummary {
  /** Interactions. */
  count: number;
  /** Late feedback events (feedback carried by interactions is not counted here). */
  feedback_events: number;
  /** Interactions per status. */
  status: Record<Status, number>;
  /** Thumbs from interactions and feedback events together. */
  feedback: { up: number; down: number };
  /** Fractions of interactions; thumbs_* are fractions of thumbs (up + down). null: no data. */
  rates: {
    error: number | null;
    timeout: number | null;
    refused: number | null;
    filtered: number | null;
    escalated: number | null;
    unanswered: number | null;
    thumbs_down: number | null;
    thumbs_up: number | null;
  };
  rating: { count: number; mean: number | null };
  distributions: Record<Distribution, DistributionSummary> & {
    evals: Record<string, DistributionSummary>;
  };
  categories: Record<Dimension, Counts> & { tags: Record<string, Counts> };
  tokens: { input: number; output: number };
  /** per_request_usd averages over the interactions that had a cost; unknown_events had none. */
  cost: {
    total_usd: number;
    per_request_usd: number | null;
    unknown_events: number;
    /** Cost per model: the 20 costliest models (per merge), the rest under `other`. */
    by_model: Counts;
  };
  /** Observations left out because of the eval-name and tag-key caps. */
  dropped: { evals: number; tag_keys: number };
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * Up to HISTOGRAM_BINS equal-width bins from min to max, on a log scale when all
 * values are positive and span more than a factor 10 (latencies, token counts).
 * Each sketch bin's mass goes to the coarse bin holding its reported value.
 */
export function coarseHistogram(s: Sketch): HistogramBin[] {
  if (s.count === 0) return [];
  if (s.min === s.max) return [{ lower: s.min, upper: s.max, count: s.count }];
  const log = s.min > 0 && s.max / s.min > 10;
  const scale = log ? Math.log : (x: number) => x;
  const unscale = log ? Math.exp : (x: number) => x;
  const lo = scale(s.min);
  const width = (scale(s.max) - lo) / HISTOGRAM_BINS;
  const edge = (k: number) =>
    k === 0 ? s.min : k === HISTOGRAM_BINS ? s.max : unscale(lo + k * width);
  const bins = Array.from({ length: HISTOGRAM_BINS }, (_, k) => ({
    lower: edge(k),
    upper: edge(k + 1),
    count: 0,
  }));
  for (const bin of sketchBins(s)) {
    const k = Math.min(
      HISTOGRAM_BINS - 1,
      Math.max(0, Math.floor((scale(bin.value) - lo) / width)),
    );
    const target = bins[k];
    if (target) target.count += bin.count;
  }
  return bins;
}

export function summarizeSketch(s: Sketch): DistributionSummary {
  const q = (p: number) => sketchQuantile(s, p) ?? null;
  const empty = s.count === 0;
  return {
    count: s.count,
    mean: sketchMean(s) ?? null,
    min: empty ? null : s.min,
    max: empty ? null : s.max,
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    histogram: coarseHistogram(s),
  };
}

const mapValues = <T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

export function summarizeBucket(b: Bucket): WindowSummary {
  const c = b.counters;
  const thumbs = c.feedback_up + c.feedback_down;
  const d = b.dists;
  // NOTE: copied into ordinary objects; the bucket's own records have no prototype.
  const mix = (counts: Counts) => mapValues(counts, (n) => n);
  return {
    count: c.count,
    feedback_events: c.feedback_events,
    status: {
      ok: c.ok,
      error: c.error,
      timeout: c.timeout,
      refused: c.refused,
      filtered: c.filtered,
    },
    feedback: { up: c.feedback_up, down: c.feedback_down },
    rates: {
      error: ratio(c.error, c.count),
      timeout: ratio(c.timeout, c.count),
      refused: ratio(c.refused, c.count),
      filtered: ratio(c.filtered, c.count),
      escalated: ratio(c.escalated, c.count),
      unanswered: ratio(c.unanswered, c.count),
      thumbs_down: ratio(c.feedback_down, thumbs),
      thumbs_up: ratio(c.feedback_up, thumbs),
    },
    rating: { count: c.rating_count, mean: ratio(c.rating_sum, c.rating_count) },
    distributions: {
      latency_ms: summarizeSketch(d.latency_ms),
      ttft_ms: summarizeSketch(d.ttft_ms),
      output_tokens: summarizeSketch(d.output_tokens),
      output_chars: summarizeSketch(d.output_chars),
      retrieval_top_score: summarizeSketch(d.retrieval_top_score),
      evals: mapValues(b.evals, summarizeSketch),
    },
    categories: {
      model: mix(b.dims.model),
      provider: mix(b.dims.provider),
      finish_reason: mix(b.dims.finish_reason),
      prompt_version: mix(b.dims.prompt_version),
      error_type: mix(b.dims.error_type),
      tags: mapValues(b.tags, mix),
    },
    tokens: { input: c.input_tokens, output: c.output_tokens },
    cost: {
      total_usd: c.cost_usd,
      per_request_usd: ratio(c.cost_usd, c.cost_events),
      unknown_events: Math.max(0, c.count - c.cost_events),
      by_model: mix(b.model_cost),
    },
    dropped: { evals: c.evals_dropped, tag_keys: c.tag_keys_dropped },
  };
}
