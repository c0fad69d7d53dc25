// Test events: builders for interactions and feedback, fast-check arbitraries for
// random events (with awkward keys), and a plausible hour of traffic.
import fc from "fast-check";
import { STATUSES } from "../src/ingest/event-schema";
import type {
  NormalizedEvent,
  NormalizedFeedback,
  NormalizedInteraction,
} from "../src/ingest/normalized";
import { addEvent, emptyBucket } from "../src/window/bucket";
import { lognormal, seededRandom } from "./sample-values";

export const interaction = (
  fields: Partial<NormalizedInteraction> = {},
): NormalizedInteraction => ({
  type: "interaction",
  id: "i",
  deployment: "support-bot",
  environment: "production",
  ts: 0,
  status: "ok",
  ...fields,
});

export const feedback = (fields: Partial<NormalizedFeedback> = {}): NormalizedFeedback => ({
  type: "feedback",
  id: "f",
  ref: "i",
  deployment: "support-bot",
  environment: "production",
  ts: 0,
  feedback: 1,
  ...fields,
});

export const bucketOf = (events: readonly NormalizedEvent[]) => {
  const b = emptyBucket();
  for (const e of events) addEvent(b, e);
  return b;
};

/** Own-key records ("__proto__" as data), as JSON.parse or structured clone produce them. */
export const ownKeys = (json: string): Record<string, string> => JSON.parse(json);

export const label = fc.constantFrom("a", "b", "c", "__proto__", "constructor", "toString");
export const unit = fc.double({ min: 0, max: 1, noNaN: true });
const interactionArb: fc.Arbitrary<NormalizedInteraction> = fc.record(
  {
    type: fc.constant("interaction" as const),
    id: fc.constant("i"),
    deployment: fc.constant("d"),
    environment: fc.constant("production"),
    ts: fc.nat(),
    status: fc.constantFrom(...STATUSES),
    model: label,
    provider: label,
    finish_reason: label,
    prompt_version: label,
    error_type: label,
    latency_ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    ttft_ms: fc.integer({ min: 0, max: 60_000 }),
    input_tokens: fc.nat(100_000),
    output_tokens: fc.nat(10_000),
    output_chars: fc.nat(100_000),
    cost_usd: unit,
    feedback: fc.constantFrom(-1 as const, 0 as const, 1 as const),
    rating: unit,
    escalated: fc.boolean(),
    unanswered: fc.boolean(),
    retrieval: fc.record({ top_score: unit }, { requiredKeys: [] }),
    evals: fc.dictionary(label, fc.double({ min: -5, max: 5, noNaN: true }), { maxKeys: 4 }),
    tags: fc.dictionary(label, label, { maxKeys: 4 }),
  },
  { requiredKeys: ["type", "id", "deployment", "environment", "ts", "status"] },
);
export const eventArb = fc.oneof(
  { weight: 4, arbitrary: interactionArb },
  fc
    .record({ feedback: fc.constantFrom(-1 as const, 0 as const, 1 as const), rating: unit })
    .map((f) => feedback(f)),
);

/** A plausible hour of traffic: lognormal latencies and tokens, a few evals, tags and errors. */
export function typicalTraffic(n: number, seed: number): NormalizedInteraction[] {
  const r = seededRandom(seed);
  const pick = (values: readonly string[]) => values[Math.floor(r() * values.length)] ?? "";
  return Array.from({ length: n }, () => {
    const u = r();
    const status = u < 0.96 ? "ok" : u < 0.985 ? "error" : u < 0.995 ? "timeout" : "refused";
    const outputTokens = Math.round(lognormal(r, 250, 0.7));
    const inputTokens = Math.round(lognormal(r, 1200, 0.5));
    const mini = r() < 0.8;
    return interaction({
      status,
      model: mini ? "gpt-4o-mini" : "claude-sonnet-4",
      provider: mini ? "openai" : "anthropic",
      prompt_version: pick(["v12", "v13"]),
      finish_reason: r() < 0.93 ? "stop" : "length",
      error_type: status === "error" ? pick(["rate_limit", "server_error"]) : undefined,
      latency_ms: Math.round(lognormal(r, 900, 0.6) * 10) / 10,
      ttft_ms: Math.round(lognormal(r, 300, 0.5) * 10) / 10,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      output_chars: Math.round(outputTokens * (3.5 + r())),
      cost_usd: (inputTokens * 0.15 + outputTokens * 0.6) / 1e6,
      retrieval: r() < 0.7 ? { top_score: Math.round((0.55 + 0.4 * r()) * 1e4) / 1e4 } : undefined,
      evals:
        r() < 0.3
          ? { faithfulness: Math.round(r() * 100) / 100, relevance: Math.round(r() * 100) / 100 }
          : undefined,
      tags: { plan: pick(["free", "pro", "team"]), locale: pick(["en", "de", "fr", "es", "ja"]) },
      feedback: r() < 0.05 ? (r() < 0.8 ? 1 : -1) : undefined,
      escalated: r() < 0.02,
      unanswered: r() < 0.04,
    });
  });
}
