// The zod fast path may only ever say "valid" when the schema agrees.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EvalEventSchema, InteractionEventSchema } from "../../src/ingest/event-schema";
import { isPlainlyValidEval, isPlainlyValidInteraction } from "../../src/ingest/fast-validate";

const awkwardKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "",
  "x".repeat(65),
  "intent",
  "lang",
);
const anyValue = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.double(),
  fc.integer({ min: -3, max: 2_000 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    "ok",
    "error",
    "timeout",
    "refused",
    "filtered",
    "exploded",
    "support-bot",
    "Bad Slug",
  ),
);
const fieldName = fc.constantFrom(
  "type",
  "id",
  "deployment",
  "environment",
  "ts",
  "model",
  "provider",
  "prompt_version",
  "release",
  "latency_ms",
  "ttft_ms",
  "status",
  "error_type",
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
  "reasoning_output_tokens",
  "cost_usd",
  "output_chars",
  "finish_reason",
  "feedback",
  "rating",
  "escalated",
  "unanswered",
  "retrieval",
  "evals",
  "tags",
  "user",
  "session",
  "laténcy",
  "__proto__",
  "toString",
  "constructor",
);
const nearlyValidEvent = fc
  .record({
    base: fc.record(
      {
        deployment: fc.constantFrom("support-bot", "rag.search_v2", "A", ""),
        latency_ms: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(-1)),
        status: fc.constantFrom("ok", "error", "nope"),
        feedback: fc.constantFrom(-1, 0, 1, 2),
        ts: fc.oneof(fc.integer({ min: 0 }), fc.constant("2026-11-22T01:02:03Z"), fc.double()),
        retrieval: fc.record(
          {
            top_score: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
            hits: fc.integer({ min: -1, max: 9 }),
          },
          { requiredKeys: [] },
        ),
        evals: fc.dictionary(awkwardKey, fc.oneof(fc.double({ noNaN: true }), fc.string()), {
          maxKeys: 20,
        }),
        tags: fc.dictionary(awkwardKey, fc.oneof(fc.string({ maxLength: 130 }), fc.integer()), {
          maxKeys: 18,
        }),
      },
      { requiredKeys: ["deployment"] },
    ),
    extra: fc.dictionary(fieldName, anyValue, { maxKeys: 4 }),
  })
  .map(({ base, extra }) => JSON.parse(JSON.stringify({ ...base, ...extra })) as unknown);

describe("the validation fast path", () => {
  it("never accepts an event the schema rejects (property)", () => {
    fc.assert(
      fc.property(nearlyValidEvent, (event) => {
        if (isPlainlyValidInteraction(event))
          expect(InteractionEventSchema.safeParse(event).success).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it("accepts typical valid events, and leaves prototype-named fields to the schema", () => {
    const ok = {
      deployment: "support-bot",
      latency_ms: 812,
      status: "ok",
      feedback: 1,
      tags: { intent: "billing" },
    };
    expect(isPlainlyValidInteraction(ok)).toBe(true);
    expect(isPlainlyValidInteraction(JSON.parse('{"deployment":"a","toString":1}'))).toBe(false);
    expect(isPlainlyValidInteraction(JSON.parse('{"deployment":"a","__proto__":{"x":1}}'))).toBe(
      false,
    );
    expect(isPlainlyValidInteraction({ deployment: "a", ts: "2026-11-22T01:02:03Z" })).toBe(false);
  });
});

const nearlyValidEval = fc
  .record(
    {
      type: fc.constantFrom("eval", "feedback"),
      ref: fc.constantFrom("00f067aa0ba902b7", "", "x".repeat(129)),
      deployment: fc.constantFrom("support-bot", "Bad Slug"),
      environment: fc.constantFrom("staging", ""),
      ts: fc.oneof(fc.integer({ min: -1 }), fc.constant("2026-11-22T01:02:03Z")),
      evals: fc.dictionary(awkwardKey, fc.oneof(fc.double(), fc.string()), { maxKeys: 20 }),
    },
    { requiredKeys: ["type"] },
  )
  .chain((base) =>
    fc
      .dictionary(fieldName, anyValue, { maxKeys: 2 })
      .map((extra) => JSON.parse(JSON.stringify({ ...base, ...extra })) as unknown),
  );

describe("the eval event fast path", () => {
  it("never accepts an eval event the schema rejects (property)", () => {
    fc.assert(
      fc.property(nearlyValidEval, (event) => {
        if (isPlainlyValidEval(event)) expect(EvalEventSchema.safeParse(event).success).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it("accepts an eval event as /v1/logs makes it, and not one without scores", () => {
    const event = {
      type: "eval",
      ref: "00f067aa0ba902b7",
      deployment: "bot",
      ts: 1,
      evals: { r: 1 },
    };
    expect(isPlainlyValidEval(event)).toBe(true);
    expect(isPlainlyValidEval({ ...event, evals: {} })).toBe(false);
    expect(isPlainlyValidEval({ ...event, feedback: 1 })).toBe(false);
  });
});
