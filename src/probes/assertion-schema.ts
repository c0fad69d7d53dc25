// Probe assertions, each `{type, value, negate?, weight?}` (some types take one more
// field: `degraded` for time budgets, `flags` for regex, `threshold` for similarity).
// Everything is checked here, at the route: a regex that cannot compile, a time budget
// whose degraded level is above its limit, a ttft budget on a non-streaming probe.
import { z } from "../zod";
import { LiteSchemaSchema } from "./json-schema-lite";
import { compileRegex, REGEX_FLAGS, RegexSyntaxError } from "./linear-regex";

const common = {
  negate: z.boolean().optional(),
  /** 0 makes an assertion informational: recorded, never failing the run. Default 1. */
  weight: z.number().min(0).max(100).optional(),
};
const text = z.string().min(1).max(2_000);
const texts = z.array(text).min(1).max(32);

const budget = <T extends string>(type: T) =>
  z
    .strictObject({
      type: z.literal(type),
      /** Fail above this many milliseconds. */
      value: z.number().positive().max(600_000),
      /** Degraded (not failed) above this many milliseconds; below `value`. */
      degraded: z.number().positive().optional(),
      weight: common.weight,
    })
    .refine((a) => a.degraded === undefined || a.degraded < a.value, {
      message: "degraded must be below value",
      path: ["degraded"],
    });

export const AssertionSchema = z.union([
  z.strictObject({
    type: z.literal("status"),
    value: z.number().int().min(100).max(599),
    ...common,
  }),
  budget("latency"),
  budget("ttft"),
  z.strictObject({ type: z.enum(["contains", "icontains"]), value: text, ...common }),
  z.strictObject({
    type: z.enum(["contains-any", "contains-all", "icontains-any", "icontains-all"]),
    value: texts,
    ...common,
  }),
  z
    .strictObject({
      type: z.literal("regex"),
      value: z.string().min(1).max(500),
      flags: z.string().regex(REGEX_FLAGS, 'may only hold "i" and "s"').optional(),
      ...common,
    })
    .superRefine((a, ctx) => {
      try {
        compileRegex(a.value, a.flags);
      } catch (err) {
        if (!(err instanceof RegexSyntaxError)) throw err;
        ctx.addIssue({ code: "custom", path: ["value"], message: err.message });
      }
    }),
  z.strictObject({ type: z.literal("is-json"), value: LiteSchemaSchema.optional(), ...common }),
  z
    .strictObject({
      type: z.literal("length"),
      value: z.strictObject({
        min: z.number().int().nonnegative().optional(),
        max: z.number().int().nonnegative().optional(),
      }),
      ...common,
    })
    .refine((a) => a.value.min !== undefined || a.value.max !== undefined, {
      message: "give min, max or both",
      path: ["value"],
    })
    .refine((a) => (a.value.min ?? 0) <= (a.value.max ?? Number.POSITIVE_INFINITY), {
      message: "min must not exceed max",
      path: ["value"],
    }),
  /** Passes when the answer refuses; `value` replaces the default phrase list. */
  z.strictObject({ type: z.literal("is-refusal"), value: texts.optional(), ...common }),
  z.strictObject({
    type: z.literal("similar"),
    /** The reference answer. */
    value: text,
    /** Minimum token-set Jaccard similarity, 0..1. Default 0.5. */
    threshold: z.number().min(0).max(1).optional(),
    ...common,
  }),
]);

export type Assertion = z.infer<typeof AssertionSchema>;
export type AssertionType = Assertion["type"];
