// The v1 beacon contract (DESIGN.md): zod schemas for an interaction event and a
// late feedback event. Unknown fields are rejected by name (strict objects).
import { z } from "../zod";

/** Events older than this are rejected; DESIGN.md "accepted lateness". */
export const MAX_LATENESS_MS = 7 * 24 * 60 * 60 * 1000;
/** Clock skew tolerated for timestamps in the future. */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export const STATUSES = ["ok", "error", "timeout", "refused", "filtered"] as const;
export type Status = (typeof STATUSES)[number];

const SLUG = /^[a-z0-9][a-z0-9\-_.]{0,63}$/;
export const SlugSchema = z
  .string()
  .regex(SLUG, "must match [a-z0-9][a-z0-9-_.]{0,63} (lower case, up to 64 characters)");

const label = z.string().min(1).max(128);
const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Epoch milliseconds or an ISO-8601 string; range is checked after parsing. */
export const TimestampSchema = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true, local: false }),
]);

const boundedRecord = <T extends z.ZodType>(value: T, what: string) =>
  z
    .record(z.string().min(1).max(64), value)
    .refine((r) => Object.keys(r).length <= 16, `at most 16 ${what}`);

export const InteractionEventSchema = z.strictObject({
  type: z.literal("interaction").optional(),
  id: z.string().min(1).max(64).optional(),
  deployment: SlugSchema,
  environment: SlugSchema.optional(),
  ts: TimestampSchema.optional(),
  model: label.optional(),
  provider: label.optional(),
  prompt_version: label.optional(),
  release: label.optional(),
  latency_ms: nonNegative.optional(),
  ttft_ms: nonNegative.optional(),
  status: z.enum(STATUSES).optional(),
  error_type: label.optional(),
  input_tokens: count.optional(),
  output_tokens: count.optional(),
  cost_usd: nonNegative.optional(),
  output_chars: count.optional(),
  finish_reason: label.optional(),
  feedback: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
  rating: z.number().min(0).max(1).optional(),
  escalated: z.boolean().optional(),
  unanswered: z.boolean().optional(),
  retrieval: z
    .strictObject({
      top_score: z.number().min(0).max(1).optional(),
      hits: count.optional(),
    })
    .optional(),
  evals: boundedRecord(z.number().finite(), "eval scores").optional(),
  tags: boundedRecord(z.string().max(128), "tags").optional(),
  user: z.string().min(1).max(256).optional(),
  session: z.string().min(1).max(256).optional(),
});
export type InteractionEventInput = z.infer<typeof InteractionEventSchema>;

export const FeedbackEventSchema = z.strictObject({
  type: z.literal("feedback"),
  id: z.string().min(1).max(64).optional(),
  ref: z.string().min(1).max(64),
  deployment: SlugSchema,
  environment: SlugSchema.optional(),
  ts: TimestampSchema.optional(),
  feedback: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
  rating: z.number().min(0).max(1).optional(),
});
export type FeedbackEventInput = z.infer<typeof FeedbackEventSchema>;

export type EventInput = InteractionEventInput | FeedbackEventInput;
