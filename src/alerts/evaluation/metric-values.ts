// Reads a rule's metric out of a Bucket: rate counts, the sketch of a distribution, the
// counts of a categorical mix, cost per request.
import type { Bucket } from "../../window/bucket";
import type { Counts } from "../../window/capped-counts";
import { createSketch, type Sketch } from "../../window/sketch";
import type { RateMetric } from "../rules/rule-metrics";

export interface RateCounts {
  successes: number;
  trials: number;
  /** What a trial is, for messages. */
  unit: "interactions" | "thumbs";
}

export function rateCounts(b: Bucket, metric: RateMetric): RateCounts {
  const c = b.counters;
  const of = (successes: number): RateCounts => ({
    successes,
    trials: c.count,
    unit: "interactions",
  });
  switch (metric) {
    case "error_rate":
      return of(c.error);
    case "timeout_rate":
      return of(c.timeout);
    case "refusal_rate":
      return of(c.refused);
    case "filtered_rate":
      return of(c.filtered);
    case "unanswered_rate":
      return of(c.unanswered);
    case "escalation_rate":
      return of(c.escalated);
    case "thumbs_down_rate":
      // Thumbs-down share of all thumbs: n counts thumbs, not interactions.
      return {
        successes: c.feedback_down,
        trials: c.feedback_up + c.feedback_down,
        unit: "thumbs",
      };
  }
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** The sketch behind a distribution metric; an empty sketch when the bucket has none. */
export function sketchOf(b: Bucket, metric: string): Sketch {
  if (metric.startsWith("evals.")) return own(b.evals, metric.slice(6)) ?? createSketch();
  return own<Sketch>(b.dists, metric) ?? createSketch();
}

/** Category counts of a mix metric (model_mix, finish_reason_mix, tags.<key>). */
export function mixOf(b: Bucket, metric: string): Counts {
  if (metric === "model_mix") return b.dims.model;
  if (metric === "finish_reason_mix") return b.dims.finish_reason;
  if (metric.startsWith("tags.")) return own(b.tags, metric.slice(5)) ?? {};
  return {};
}

/** Mean cost over the interactions that had one, and how many there were. */
export function costPerRequest(b: Bucket): { mean: number | null; n: number } {
  const n = b.counters.cost_events;
  return { mean: n > 0 ? b.counters.cost_usd / n : null, n };
}
