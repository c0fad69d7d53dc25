// What an incident's detail says about its change: the effect size with its interval and
// the traffic it reaches (src/alerts/evaluation/effect-size.ts), from its last check.
import { EFFECT_METHODS } from "../../alerts/evaluation/effect-types";
import { EXAMPLE_OUTCOMES } from "../../window/example-sample";
import { z } from "../../zod";

export const EffectSizeSchema = z
  .object({
    kind: z.enum(["difference", "ratio", "value"]).meta({
      description: "current − baseline, current ÷ baseline, or (static rules) the window's value",
    }),
    of: z.string().meta({ description: 'What is measured: "thumbs-down rate", "latency p95"' }),
    estimate: z.number(),
    lower: z.number().nullable().meta({ description: "95 % interval; null when none is kept" }),
    upper: z.number().nullable(),
    level: z.literal(0.95),
    method: z
      .enum(EFFECT_METHODS)
      .meta({ description: "The interval's method (docs/detection.md)" }),
    text: z.string().meta({ description: '"+25.7 points (95 % CI 19.8 to 31.5)"' }),
  })
  .meta({ id: "EffectSize" });

export const AffectedSchema = z
  .object({
    interactions: z.number().int(),
    share_of_traffic: z.number().min(0).max(1),
    users: z.number().int().nullable().meta({
      description:
        "Distinct hashed users, estimated (HyperLogLog, ~13 % relative error); null: not counted (a window read at hours, a segment beyond the kept ones, traffic without users)",
    }),
  })
  .meta({ id: "Affected" });

export const SegmentSchema = z
  .object({
    dimension: z
      .string()
      .meta({ description: 'model, provider, prompt_version, finish_reason or "tags.<key>"' }),
    value: z.string().meta({ description: '"other": the values beyond the top 20' }),
    name: z.string().meta({ description: 'As shown: "locale=ja"' }),
    observed: z.number().meta({ description: "Events (errors, thumbs-down) in the window" }),
    expected: z.number().meta({ description: "Events its baseline rate expects" }),
    excess: z.number(),
    share_of_excess: z.number(),
    trials: z.number(),
    share_of_traffic: z.number(),
    rate: z.number(),
    baseline_rate: z.number().nullable().meta({ description: "null: no baseline traffic" }),
    p_value: z.number().meta({ description: "Holm-adjusted over every segment looked at" }),
    measure: z.enum(["rate", "typical_value", "share", "requests"]).optional().meta({
      description:
        "rate (rate rules; absent on older checks): events and rate; typical_value (distribution and cost rules): the typical value (cost: the mean) now and expected, in the metric's unit; share (mix rules): the category's events and share; requests (traffic drops): requests now and expected, rate and baseline_rate per minute",
    }),
  })
  .meta({ id: "Segment" });

const ExampleEventSchema = z
  .object({
    id: z.string(),
    ts: z.number().int().meta({ description: "Epoch ms" }),
    status: z.string(),
    model: z.string().optional(),
    provider: z.string().optional(),
    prompt_version: z.string().optional(),
    release: z.string().optional(),
    finish_reason: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    export_url: z.string().meta({ description: "GET /v1/events/export of this event (ids=)" }),
  })
  .meta({ id: "ExampleEvent", description: "An example's non-text fields; never text or users" });

export const IncidentExamplesSchema = z
  .object({
    outcome: z.enum(EXAMPLE_OUTCOMES),
    segment: z
      .object({ dimension: z.string(), value: z.string(), name: z.string() })
      .nullable()
      .meta({ description: "The top named segment they come from; null: all traffic" }),
    events: z.array(ExampleEventSchema).max(10),
    expired: z.number().int().meta({
      description: "Examples left out: the archive no longer holds their events (retention)",
    }),
    export_url: z.string().nullable().meta({
      description: "GET /v1/events/export of every listed event; null when none is listed",
    }),
  })
  .meta({ id: "IncidentExamples" });

const AttributionSchema = z.object({
  everywhere: z.boolean(),
  looked_at: z.number().int(),
  segments: z.array(SegmentSchema),
  text: z.string(),
});

/** The effect and affected traffic of the incident's last check, null when it had none. */
export function explainFields(lastCheck: Record<string, unknown> | null) {
  const effect = EffectSizeSchema.safeParse(lastCheck?.effect_size);
  const affected = AffectedSchema.safeParse(lastCheck?.affected);
  const where = AttributionSchema.safeParse(lastCheck?.attribution);
  return {
    segments: where.success ? where.data.segments : [],
    everywhere: where.success ? where.data.everywhere : null,
    effect: effect.success ? effect.data : null,
    affected: affected.success ? affected.data : null,
  };
}
