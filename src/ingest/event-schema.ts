// The v1 beacon contract (docs/api.md): zod schemas for an interaction event and a
// late feedback event and a late eval event. Unknown fields are rejected by name (strict objects).
import { z } from "../zod";
import {
  MAX_COST_USD,
  MAX_DURATION_MS,
  MAX_EVAL_MAGNITUDE,
  MAX_ID_CHARS,
  MAX_IDENT_CHARS,
  MAX_KEY_CHARS,
  MAX_LABEL_CHARS,
  MAX_OUTPUT_CHARS,
  MAX_RECORD_KEYS,
  MAX_RETRIEVAL_HITS,
  MAX_TOKENS,
  SLUG_PATTERN,
  STATUSES,
} from "./field-bounds";

// The accepted-timestamp horizon lives in field-bounds.ts (the Durable Object's ledger
// needs it without loading these schemas at startup).
export { MAX_FUTURE_MS, MAX_LATENESS_MS } from "./field-bounds";

export { STATUSES };
export type Status = (typeof STATUSES)[number];

export const SlugSchema = z
  .string()
  .regex(SLUG_PATTERN, "must match [a-z0-9][a-z0-9-_.]{0,63} (lower case, up to 64 characters)");

const label = z.string().min(1).max(MAX_LABEL_CHARS);
/** A number in [0, max]; the message names the bound (and its unit) a client hit. */
const bounded = (max: number, unit: string) =>
  z
    .number()
    .min(0, "must be ≥ 0")
    .max(max, `must be at most ${max.toLocaleString("en")} ${unit}`.trimEnd());
/** An integer in [0, max]. */
const count = (max: number, unit: string) => bounded(max, unit).int("must be an integer");
const id = z.string().min(1).max(MAX_ID_CHARS);
const ident = z.string().min(1).max(MAX_IDENT_CHARS);

/** Epoch milliseconds or an ISO-8601 string; range is checked after parsing. */
export const TimestampSchema = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true, local: false }),
]);

const boundedRecord = <T extends z.ZodType>(value: T, what: string) =>
  z
    .record(z.string().min(1).max(MAX_KEY_CHARS), value)
    .refine((r) => Object.keys(r).length <= MAX_RECORD_KEYS, `at most ${MAX_RECORD_KEYS} ${what}`);

const EvalsSchema = boundedRecord(
  z
    .number()
    .min(-MAX_EVAL_MAGNITUDE, `must be at least -${MAX_EVAL_MAGNITUDE.toLocaleString("en")}`)
    .max(MAX_EVAL_MAGNITUDE, `must be at most ${MAX_EVAL_MAGNITUDE.toLocaleString("en")}`),
  "eval scores",
);

export const InteractionEventSchema = z.strictObject({
  type: z.literal("interaction").optional(),
  id: id.optional(),
  deployment: SlugSchema,
  environment: SlugSchema.optional(),
  ts: TimestampSchema.optional(),
  model: label.optional(),
  provider: label.optional(),
  prompt_version: label.optional(),
  release: label.optional(),
  latency_ms: bounded(MAX_DURATION_MS, "ms (24 hours)").optional(),
  ttft_ms: bounded(MAX_DURATION_MS, "ms (24 hours)").optional(),
  status: z.enum(STATUSES).optional(),
  error_type: label.optional(),
  input_tokens: count(MAX_TOKENS, "tokens").optional(),
  output_tokens: count(MAX_TOKENS, "tokens").optional(),
  // Parts of input_tokens / output_tokens (GenAI semantic conventions): priced apart.
  cache_read_input_tokens: count(MAX_TOKENS, "tokens").optional(),
  cache_creation_input_tokens: count(MAX_TOKENS, "tokens").optional(),
  reasoning_output_tokens: count(MAX_TOKENS, "tokens").optional(),
  cost_usd: bounded(MAX_COST_USD, "USD").optional(),
  output_chars: count(MAX_OUTPUT_CHARS, "characters").optional(),
  finish_reason: label.optional(),
  feedback: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
  rating: z.number().min(0).max(1).optional(),
  escalated: z.boolean().optional(),
  unanswered: z.boolean().optional(),
  retrieval: z
    .strictObject({
      top_score: z.number().min(0).max(1).optional(),
      hits: count(MAX_RETRIEVAL_HITS, "").optional(),
    })
    .optional(),
  evals: EvalsSchema.optional(),
  tags: boundedRecord(z.string().max(MAX_LABEL_CHARS), "tags").optional(),
  user: ident.optional(),
  session: ident.optional(),
});
export type InteractionEventInput = z.infer<typeof InteractionEventSchema>;

export const FeedbackEventSchema = z.strictObject({
  type: z.literal("feedback"),
  id: id.optional(),
  ref: id,
  deployment: SlugSchema,
  environment: SlugSchema.optional(),
  ts: TimestampSchema.optional(),
  feedback: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  rating: z.number().min(0).max(1).optional(),
});
export type FeedbackEventInput = z.infer<typeof FeedbackEventSchema>;

/** Eval scores of an interaction sent earlier (`ref`), counted at their own `ts`. */
export const EvalEventSchema = z.strictObject({
  type: z.literal("eval"),
  id: id.optional(),
  ref: id,
  deployment: SlugSchema,
  environment: SlugSchema.optional(),
  ts: TimestampSchema.optional(),
  evals: EvalsSchema.refine((r) => Object.keys(r).length >= 1, "at least 1 eval score"),
});
export type EvalEventInput = z.infer<typeof EvalEventSchema>;

export type EventInput = InteractionEventInput | FeedbackEventInput | EvalEventInput;
