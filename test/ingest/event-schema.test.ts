// The event contract's rejections, tested by themselves (issue 16, item 3): valid events
// with one field changed to a bad value must be rejected by the schema AND refused by
// the fast path, with the field's path; example tables list each field's rejections.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InteractionEventSchema } from "../../src/ingest/event-schema";
import { isPlainlyValidInteraction } from "../../src/ingest/fast-validate";
import {
  MAX_COST_USD,
  MAX_DURATION_MS,
  MAX_EVAL_MAGNITUDE,
  MAX_OUTPUT_CHARS,
  MAX_RETRIEVAL_HITS,
  MAX_TOKENS,
} from "../../src/ingest/field-bounds";
import { normalizeEvents } from "../../src/ingest/normalize";
import { validateEvents } from "../../src/ingest/parse-batch";

const NOW = Date.UTC(2026, 10, 22, 12);
const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max });
const label = text(1, 128);
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9\-_.]{0,63}$/);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const count = (max: number) => fc.integer({ min: 0, max });
const amount = (max: number) =>
  fc.oneof(fc.double({ min: 0, max, noNaN: true }), fc.constantFrom(0, max));
const smallRecord = <T>(value: fc.Arbitrary<T>) =>
  // A key named __proto__ is refused (event-issues.test.ts), so it is no valid key here.
  fc.dictionary(
    text(1, 64).filter((k) => k !== "__proto__"),
    value,
    { maxKeys: 16, noNullPrototype: true },
  );

/** Events the contract accepts, boundaries included. */
const validEvent = fc.record(
  {
    id: text(1, 64),
    deployment: slug,
    environment: slug,
    ts: fc.integer({ min: NOW - 6 * 86_400_000, max: NOW + 60_000 }),
    model: label,
    provider: label,
    prompt_version: label,
    release: label,
    latency_ms: amount(MAX_DURATION_MS),
    ttft_ms: amount(MAX_DURATION_MS),
    status: fc.constantFrom("ok", "error", "timeout", "refused", "filtered"),
    error_type: label,
    input_tokens: count(MAX_TOKENS),
    output_tokens: count(MAX_TOKENS),
    cache_read_input_tokens: count(MAX_TOKENS),
    cache_creation_input_tokens: count(MAX_TOKENS),
    reasoning_output_tokens: count(MAX_TOKENS),
    cost_usd: amount(MAX_COST_USD),
    output_chars: count(MAX_OUTPUT_CHARS),
    finish_reason: label,
    feedback: fc.constantFrom(-1, 0, 1),
    rating: unit,
    escalated: fc.boolean(),
    unanswered: fc.boolean(),
    retrieval: fc.record(
      { top_score: unit, hits: count(MAX_RETRIEVAL_HITS) },
      { requiredKeys: [], noNullPrototype: true },
    ),
    evals: smallRecord(
      fc.double({ min: -MAX_EVAL_MAGNITUDE, max: MAX_EVAL_MAGNITUDE, noNaN: true }),
    ),
    tags: smallRecord(text(0, 128)),
    user: text(1, 256),
    session: text(1, 256),
  },
  // Events come from JSON.parse: plain objects, never null-prototype ones.
  { requiredKeys: ["deployment"], noNullPrototype: true },
);

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
const manyTags = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
const long = (n: number) => "x".repeat(n);
const numberRejections = (max: number) => [
  -1,
  -0.001,
  max + 1,
  1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "5",
  null,
  true,
];
const countRejections = (max: number) => [-1, 1.5, max + 1, 2 ** 53, 1e308, Number.NaN, "3", null];
const labelRejections = ["", long(129), 5, null, ["a"]];

/** Each field's bad values; the rejection's path is the field unless given. */
const REJECTIONS: Record<string, { value: unknown; path?: string }[]> = {
  id: ["", long(65), 5, null].map((value) => ({ value })),
  deployment: ["", "Bad", "-x", "a b", long(65), 3, null].map((value) => ({ value })),
  environment: ["Prod", "", long(65), 1].map((value) => ({ value })),
  ts: [-1, 1.5, "yesterday", "2026-13-01T00:00:00Z", true, 2 ** 53].map((value) => ({ value })),
  model: labelRejections.map((value) => ({ value })),
  provider: labelRejections.map((value) => ({ value })),
  prompt_version: labelRejections.map((value) => ({ value })),
  release: labelRejections.map((value) => ({ value })),
  error_type: labelRejections.map((value) => ({ value })),
  finish_reason: labelRejections.map((value) => ({ value })),
  latency_ms: numberRejections(MAX_DURATION_MS).map((value) => ({ value })),
  ttft_ms: numberRejections(MAX_DURATION_MS).map((value) => ({ value })),
  cost_usd: [...numberRejections(MAX_COST_USD), MAX_COST_USD + 0.01].map((value) => ({ value })),
  input_tokens: countRejections(MAX_TOKENS).map((value) => ({ value })),
  output_tokens: countRejections(MAX_TOKENS).map((value) => ({ value })),
  cache_read_input_tokens: countRejections(MAX_TOKENS).map((value) => ({ value })),
  cache_creation_input_tokens: countRejections(MAX_TOKENS).map((value) => ({ value })),
  reasoning_output_tokens: countRejections(MAX_TOKENS).map((value) => ({ value })),
  output_chars: countRejections(MAX_OUTPUT_CHARS).map((value) => ({ value })),
  status: ["exploded", "", "OK", 1, null].map((value) => ({ value })),
  feedback: [2, -2, 0.5, "1", true, null].map((value) => ({ value })),
  rating: [-0.1, 1.1, Number.NaN, "0.5", null].map((value) => ({ value })),
  escalated: [1, "true", null].map((value) => ({ value })),
  unanswered: [0, "false", null].map((value) => ({ value })),
  retrieval: [
    { value: { top_score: 1.1 }, path: "retrieval.top_score" },
    { value: { top_score: -0.1 }, path: "retrieval.top_score" },
    { value: { hits: -1 }, path: "retrieval.hits" },
    { value: { hits: 1.5 }, path: "retrieval.hits" },
    { value: { hits: MAX_RETRIEVAL_HITS + 1 }, path: "retrieval.hits" },
    { value: { score: 1 }, path: "retrieval.score" },
    { value: [] },
    { value: "x" },
  ],
  evals: [
    { value: { judge: "1" }, path: "evals.judge" },
    { value: { judge: MAX_EVAL_MAGNITUDE * 10 }, path: "evals.judge" },
    { value: { judge: -MAX_EVAL_MAGNITUDE * 10 }, path: "evals.judge" },
    { value: { judge: 1e308 }, path: "evals.judge" },
    { value: { judge: Number.NaN }, path: "evals.judge" },
    { value: { [long(65)]: 1 }, path: `evals.${long(65)}` },
    { value: many(17) },
    { value: [1] },
  ],
  tags: [
    { value: { intent: 5 }, path: "tags.intent" },
    { value: { intent: long(129) }, path: "tags.intent" },
    { value: manyTags(17) },
    { value: "refund" },
  ],
  user: ["", long(257), 5].map((value) => ({ value })),
  session: ["", long(257), 5].map((value) => ({ value })),
};

/** Asserts that `event` is refused by the fast path and rejected naming `path`. */
function expectRejected(event: Record<string, unknown>, path: string): void {
  expect(isPlainlyValidInteraction(event), `fast path accepted ${path}`).toBe(false);
  const { valid, rejected } = validateEvents([event], NOW);
  expect(valid, `accepted ${path} = ${String(event[path.split(".")[0] ?? ""])}`).toEqual([]);
  const paths = [rejected[0]?.path, ...(rejected[0]?.issues ?? []).map((i) => i.path)];
  expect(paths).toContain(path);
}

describe("event contract: valid events", () => {
  it("accepts every generated valid event, through the fast path and the schema alike", () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(InteractionEventSchema.safeParse(event).success).toBe(true);
        expect(isPlainlyValidInteraction(event)).toBe(true);
        expect(validateEvents([event], NOW).valid).toHaveLength(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe("event contract: one bad field", () => {
  const cases = Object.entries(REJECTIONS).flatMap(([field, bad]) =>
    bad.map(({ value, path }) => ({ field, value, path: path ?? field })),
  );

  it.each(cases)("rejects $field = $value at $path", ({ field, value, path }) => {
    expectRejected({ deployment: "support-bot", [field]: value }, path);
  });

  it("rejects a generated valid event with any one field made bad, naming it (property)", () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...cases), (event, { field, value, path }) => {
        expectRejected({ ...event, [field]: value }, path);
      }),
      { numRuns: 1_000 },
    );
  });

  it.each(["__proto__", "constructor", "toString", "laténcy", "latencyMs"])(
    "rejects the unknown field %s by name",
    (key) => {
      const event = JSON.parse(`{"deployment": "bot", ${JSON.stringify(key)}: 1}`) as Record<
        string,
        unknown
      >;
      expectRejected(event, key);
    },
  );
});

describe("event contract: eval events", () => {
  const late = { type: "eval", ref: "00f067aa0ba902b7", deployment: "support-bot" };

  it("accepts eval scores of an earlier interaction and names their default id by ref and names", async () => {
    const { valid } = validateEvents([{ ...late, evals: { relevance: 0.8, faith: 1 } }], NOW);
    expect(valid).toHaveLength(1);
    const key = await crypto.subtle.importKey(
      "raw",
      new Uint8Array(32),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const [event] = await normalizeEvents(key, valid);
    expect(event).toEqual({
      ...late,
      id: "ev_00f067aa0ba902b7_faith,relevance",
      environment: "production",
      ts: NOW,
      evals: { relevance: 0.8, faith: 1 },
    });
  });

  it.each([
    [{}, "evals"],
    [{ evals: {} }, "evals"],
    [{ evals: { relevance: "high" } }, "evals.relevance"],
    [{ evals: { relevance: 1 }, feedback: 1 }, "feedback"],
  ])("rejects an eval event with %j at %s", (fields, path) => {
    expectRejected({ ...late, ...fields }, path);
  });
});
