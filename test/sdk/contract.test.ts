// The SDK's hand-written event types must stay assignable to the server's v1 schemas.
import { describe, expect, expectTypeOf, it } from "vitest";
import { createMonitor } from "../../packages/sdk/src";
import type { FeedbackEvent, InteractionEvent } from "../../packages/sdk/src/types";
import {
  type FeedbackEventInput,
  FeedbackEventSchema,
  type InteractionEventInput,
  InteractionEventSchema,
} from "../../src/ingest/event-schema";
import { fakeFetch } from "./fake-fetch";

describe("SDK event types", () => {
  it("are assignable to the server schema types and name exactly the same fields", () => {
    expectTypeOf<InteractionEvent>().toExtend<InteractionEventInput>();
    expectTypeOf<FeedbackEvent>().toExtend<FeedbackEventInput>();
    expectTypeOf<keyof InteractionEvent>().toEqualTypeOf<keyof InteractionEventInput>();
    expectTypeOf<keyof FeedbackEvent>().toEqualTypeOf<keyof FeedbackEventInput>();
  });

  it("produces events, as sent on the wire, that parse with the v1 schemas", async () => {
    const { fetch, requests } = fakeFetch();
    const monitor = createMonitor({
      endpoint: "https://dw.example",
      key: "k",
      deployment: "support-bot",
      environment: "staging",
      defaults: { model: "gpt-4o", provider: "openai", prompt_version: "v14", release: "r1" },
      fetch,
    });
    const minimal = monitor.track({});
    monitor.track({
      latency_ms: 812.5,
      ttft_ms: 120,
      status: "error",
      error_type: "rate_limit",
      input_tokens: 100,
      output_tokens: 20,
      cost_usd: 0.0012,
      output_chars: 88,
      finish_reason: "stop",
      feedback: 1,
      rating: 0.8,
      escalated: false,
      unanswered: true,
      retrieval: { top_score: 0.91, hits: 4 },
      evals: { groundedness: 0.7 },
      tags: { intent: "refund", locale: "de" },
      user: "u-1",
      session: "s-1",
      ts: new Date().toISOString(),
    });
    monitor.feedback(minimal, -1);
    monitor.feedback(minimal, 1, 0.25);
    await monitor.flush();

    const [interaction, full, thumbsDown, graded] = requests[0]?.events ?? [];
    for (const event of [interaction, full])
      expect(InteractionEventSchema.parse(event)).toBeTruthy();
    for (const event of [thumbsDown, graded]) expect(FeedbackEventSchema.parse(event)).toBeTruthy();
    expect(interaction).toMatchObject({ id: minimal, deployment: "support-bot", model: "gpt-4o" });
    expect(thumbsDown).toMatchObject({ type: "feedback", ref: minimal, feedback: -1 });
    expect(graded).toMatchObject({ ref: minimal, feedback: 1, rating: 0.25 });
  });
});
