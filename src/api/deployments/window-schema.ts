// The answer of GET /v1/deployments/:env/:slug/window as a schema: a deployment's merged
// buckets over a range, summarised (src/window/summary.ts builds it; this documents it and
// checks the answer against it).
import { STATUSES } from "../../ingest/event-schema";
import { DIMENSIONS, DISTRIBUTIONS } from "../../window/bucket-shape";
import { z } from "../../zod";

/** An object with the same schema under each of `keys`. */
function sameFor<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  return z.object(Object.fromEntries(keys.map((key) => [key, schema])) as Record<K, S>);
}

const count = z.number().int().min(0);
const fraction = z.number().nullable().meta({ description: "null: no data" });
const orNull = z.number().nullable();

const HistogramBinSchema = z.object({ lower: z.number(), upper: z.number(), count: z.number() });

const DistributionSummarySchema = z
  .object({
    count,
    mean: orNull,
    min: orNull,
    max: orNull,
    p50: orNull,
    p90: orNull,
    p95: orNull,
    p99: orNull,
    histogram: z.array(HistogramBinSchema).meta({
      description: "Up to 20 equal-width bins, on a log scale for positive values spanning > 10x",
    }),
  })
  .meta({ id: "DistributionSummary" });

const CountsSchema = z
  .record(z.string(), count)
  .meta({ description: "Count per value: the 20 most frequent, the rest under `other`" });

export const WindowSummarySchema = z
  .object({
    count: count.meta({ description: "Interactions" }),
    feedback_events: count.meta({ description: "Late feedback events" }),
    status: sameFor(STATUSES, count).meta({ description: "Interactions per status" }),
    feedback: z.object({ up: count, down: count }),
    rates: z
      .object({
        error: fraction,
        timeout: fraction,
        refused: fraction,
        filtered: fraction,
        escalated: fraction,
        unanswered: fraction,
        thumbs_down: fraction,
        thumbs_up: fraction,
      })
      .meta({ description: "Fractions of interactions; thumbs_* are fractions of thumbs" }),
    rating: z.object({ count, mean: orNull }),
    distributions: sameFor(DISTRIBUTIONS, DistributionSummarySchema).extend({
      evals: z.record(z.string(), DistributionSummarySchema).meta({ description: "Per eval name" }),
    }),
    categories: sameFor(DIMENSIONS, CountsSchema).extend({
      tags: z.record(z.string(), CountsSchema).meta({ description: "Per tag key" }),
    }),
    tokens: z.object({ input: count, output: count }),
    cost: z.object({
      total_usd: z.number(),
      per_request_usd: orNull.meta({ description: "Over the interactions that had a cost" }),
      unknown_events: count.meta({
        description: "Interactions whose cost is unknown (no cost_usd, model not priced): not 0",
      }),
      by_model: z.record(z.string(), z.number()).optional().meta({
        description: "Cost (USD) per model: the 20 costliest, the rest under `other`",
      }),
    }),
    dropped: z
      .object({ evals: count, tag_keys: count })
      .meta({ description: "Observations left out by the eval-name and tag-key caps" }),
  })
  .meta({ id: "WindowSummary" });

export const WindowSchema = z
  .object({
    deployment_id: z.string().nullable(),
    from: z.number().int().meta({ description: "Epoch ms: the first bucket's start" }),
    to: z.number().int().meta({ description: "Epoch ms, exclusive" }),
    resolution: z.enum(["1m", "1h"]).meta({
      description: "1-minute buckets for ranges starting within 2 hours, else 1-hour buckets",
    }),
    buckets: count.meta({ description: "Buckets that held data" }),
    quarantined: count.meta({ description: "Undecodable buckets, left out of the summary" }),
    summary: WindowSummarySchema,
  })
  .meta({ id: "Window" });
