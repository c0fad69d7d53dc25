// instrumentAnthropic on a fake client, and the error classification both share.
import { describe, expect, it } from "vitest";
import { classifyError, eventIdOf, instrumentAnthropic } from "../../packages/sdk/src";
import { ApiError, collect, FakeStream, fakeAnthropic, llmHarness as setup } from "./fake-llm";

describe("instrumentAnthropic", () => {
  it("tracks a message: usage, stop_reason as finish_reason, text length", async () => {
    const { clock, monitor, events, wait } = setup();
    const message = {
      id: "msg_1",
      type: "message",
      model: "claude-sonnet-4-5",
      content: [
        { type: "text", text: "Bonjour" },
        { type: "tool_use", id: "t", name: "lookup", input: {} },
      ],
      stop_reason: "end_turn",
      usage: { input_tokens: 20, output_tokens: 4 },
    };
    const client = instrumentAnthropic(
      fakeAnthropic(() => message, wait),
      monitor,
      { now: clock.now },
    );
    const result = await client.messages.create({ model: "claude-sonnet-4-5" });
    expect(result).toBe(message);
    expect(await events()).toEqual([
      expect.objectContaining({
        id: eventIdOf(result),
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        latency_ms: 100,
        input_tokens: 20,
        output_tokens: 4,
        output_chars: 7,
        finish_reason: "stop",
      }),
    ]);
  });

  it("observes a stream: ttft at the first text delta, usage from message_start and message_delta", async () => {
    const { clock, monitor, events, tick, wait } = setup();
    const chunks = [
      {
        type: "message_start",
        message: { model: "claude-haiku-4-5", usage: { input_tokens: 25, output_tokens: 1 } },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " there" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "max_tokens" }, usage: { output_tokens: 15 } },
      { type: "message_stop" },
    ];
    const client = instrumentAnthropic(
      fakeAnthropic(() => new FakeStream(chunks, tick), wait),
      monitor,
      {
        now: clock.now,
      },
    );
    const stream = await client.messages.create({ model: "claude-haiku", stream: true });
    expect(await collect(stream as AsyncIterable<unknown>)).toEqual(chunks);
    expect(await events()).toEqual([
      expect.objectContaining({
        id: eventIdOf(stream),
        model: "claude-haiku-4-5",
        ttft_ms: 250,
        latency_ms: 450,
        input_tokens: 25,
        output_tokens: 15,
        output_chars: 8,
        finish_reason: "length",
      }),
    ]);
  });

  it("instrumented again with ifInstrumented replace, tracks each call once under the new prompt version", async () => {
    const { monitor, events } = setup();
    const message = { type: "message", content: [], stop_reason: "end_turn" };
    const client = instrumentAnthropic(
      fakeAnthropic(() => message),
      monitor,
      { event: { prompt_version: "v1" } },
    );
    await client.messages.create({});
    instrumentAnthropic(client, monitor, {
      event: { prompt_version: "v2" },
      ifInstrumented: "replace",
    });
    await client.messages.create({});
    expect((await events()).map((e) => e.prompt_version)).toEqual(["v1", "v2"]);
  });

  it("marks refusals as refused and overloaded errors as errors", async () => {
    const { monitor, events } = setup();
    const overloaded = new ApiError(529, "Overloaded");
    let calls = 0;
    const client = instrumentAnthropic(
      fakeAnthropic(() => (calls++ ? overloaded : { content: [], stop_reason: "refusal" })),
      monitor,
    );
    await client.messages.create({});
    await expect(client.messages.create({})).rejects.toBe(overloaded);
    const [refused, failed] = await events();
    expect(refused).toMatchObject({
      status: "refused",
      finish_reason: "refusal",
      provider: "anthropic",
    });
    expect(failed).toMatchObject({ status: "error", error_type: "overloaded" });
  });
});

describe("classifyError", () => {
  it.each([
    [new ApiError(429, "slow down"), "error", "rate_limit"],
    [new ApiError(401, "bad key"), "error", "auth"],
    [
      new ApiError(400, "This model's maximum context length is 8192 tokens"),
      "error",
      "context_length",
    ],
    [new ApiError(400, "bad"), "error", "invalid_request"],
    [new ApiError(503, "unavailable"), "error", "server_error"],
    [new ApiError(408, "request timeout"), "timeout", "timeout"],
    [new DOMException("The operation timed out.", "TimeoutError"), "timeout", "timeout"],
    [new DOMException("aborted", "AbortError"), "error", "aborted"],
    [new TypeError("fetch failed"), "error", "connection"],
    ["weird", "error", "error"],
  ])("classifies %s", (error, status, type) => {
    expect(classifyError(error)).toEqual({ status, error_type: type });
  });
});
