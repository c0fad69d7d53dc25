// instrumentOpenAI on fake OpenAI-compatible clients: what the caller gets is unchanged,
// and the tracked event carries latency, ttft, usage and status.
import { describe, expect, it, vi } from "vitest";
import { eventIdOf, instrumentOpenAI } from "../../packages/sdk/src";
import { ApiError, collect, FakeStream, fakeOpenAI, llmHarness as setup } from "./fake-llm";

const completion = {
  id: "chatcmpl-1",
  model: "gpt-4o-2024-08-06",
  choices: [
    { index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

const openaiChunks = [
  { choices: [{ delta: { role: "assistant", content: "" } }] },
  { choices: [{ delta: { content: "Hel" } }] },
  { choices: [{ delta: { content: "lo" }, finish_reason: "stop" }] },
  {
    model: "gpt-4o-mini-2024-07-18",
    choices: [],
    usage: { prompt_tokens: 9, completion_tokens: 2 },
  },
];

describe("instrumentOpenAI", () => {
  it("tracks a completion and returns it unchanged", async () => {
    const { clock, monitor, events, wait } = setup();
    const client = instrumentOpenAI(
      fakeOpenAI(() => completion, wait),
      monitor,
      {
        now: clock.now,
        event: { prompt_version: "v14", tags: { intent: "refund" } },
      },
    );
    const result = await client.chat.completions.create({ model: "gpt-4o", messages: [] });
    expect(result).toBe(completion);
    expect(client.models.list()).toEqual(["gpt-4o"]);
    const [event] = await events();
    expect(event).toEqual({
      id: eventIdOf(result),
      ts: expect.any(Number),
      deployment: "support-bot",
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      prompt_version: "v14",
      tags: { intent: "refund" },
      latency_ms: 100,
      input_tokens: 12,
      output_tokens: 3,
      output_chars: 11,
      finish_reason: "stop",
    });
    expect(monitor.lastEventId).toBe(event?.id);
  });

  it("observes a stream as the caller consumes it: ttft at the first chunk, usage from the last", async () => {
    const { clock, monitor, events, tick, wait } = setup();
    const client = instrumentOpenAI(
      fakeOpenAI(() => new FakeStream(openaiChunks, tick), wait),
      monitor,
      { now: clock.now },
    );
    const stream = await client.chat.completions.create({ model: "gpt-4o-mini", stream: true });
    expect(stream).toBeInstanceOf(FakeStream);
    expect(stream).toHaveProperty("controller");
    const id = eventIdOf(stream);
    expect(id).toBeDefined();
    expect(monitor.stats().queued).toBe(0); // tracked once the stream ends
    expect(await collect(stream as AsyncIterable<unknown>)).toEqual(openaiChunks);
    expect(await events()).toEqual([
      expect.objectContaining({
        id,
        provider: "openai",
        model: "gpt-4o-mini-2024-07-18",
        ttft_ms: 150,
        latency_ms: 300,
        input_tokens: 9,
        output_tokens: 2,
        output_chars: 5,
        finish_reason: "stop",
      }),
    ]);
  });

  it("records a stream the caller abandons early, once", async () => {
    const { clock, monitor, events, tick } = setup();
    const client = instrumentOpenAI(
      fakeOpenAI(() => new FakeStream(openaiChunks, tick)),
      monitor,
      {
        now: clock.now,
      },
    );
    const stream = (await client.chat.completions.create({
      stream: true,
    })) as AsyncIterable<unknown>;
    for await (const _ of stream) break;
    const sent = await events();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ ttft_ms: 50, latency_ms: 50, output_chars: 0 });
    expect(sent[0]).not.toHaveProperty("status");
  });

  it("marks a stream that fails midway as an error and rethrows to the caller", async () => {
    const { monitor, events } = setup();
    const broken = new ApiError(500, "upstream reset");
    const client = instrumentOpenAI(
      fakeOpenAI(() => new FakeStream(openaiChunks.slice(0, 2), () => {}, broken)),
      monitor,
    );
    const stream = (await client.chat.completions.create({
      stream: true,
    })) as AsyncIterable<unknown>;
    await expect(collect(stream)).rejects.toBe(broken);
    expect(await events()).toEqual([
      expect.objectContaining({ status: "error", error_type: "server_error", output_chars: 3 }),
    ]);
  });

  it("records a rate-limited call as an error with error_type rate_limit and rethrows it", async () => {
    const { clock, monitor, events, wait } = setup();
    const limited = new ApiError(429, "Rate limit reached");
    const client = instrumentOpenAI(
      fakeOpenAI(() => limited, wait),
      monitor,
      { now: clock.now },
    );
    await expect(client.chat.completions.create({ model: "gpt-4o" })).rejects.toBe(limited);
    expect(await events()).toEqual([
      expect.objectContaining({
        model: "gpt-4o",
        status: "error",
        error_type: "rate_limit",
        latency_ms: 100,
      }),
    ]);
  });

  it("records timeouts with status timeout and content filtering with status filtered", async () => {
    const { monitor, events } = setup();
    const timeout = Object.assign(new Error("Request timed out."), {
      name: "APIConnectionTimeoutError",
    });
    const filtered = {
      ...completion,
      choices: [{ message: { content: null }, finish_reason: "content_filter" }],
    };
    let calls = 0;
    const client = instrumentOpenAI(
      fakeOpenAI(() => (calls++ ? filtered : timeout)),
      monitor,
    );
    await expect(client.chat.completions.create({})).rejects.toBe(timeout);
    await client.chat.completions.create({});
    const [first, second] = await events();
    expect(first).toMatchObject({ status: "timeout", error_type: "timeout" });
    expect(second).toMatchObject({
      status: "filtered",
      finish_reason: "content_filter",
      output_chars: 0,
    });
  });

  it("tracks one event per call when instrumented twice", async () => {
    const { monitor, events } = setup();
    const client = instrumentOpenAI(
      instrumentOpenAI(
        fakeOpenAI(() => completion),
        monitor,
      ),
      monitor,
      { ifInstrumented: "keep" },
    );
    await client.chat.completions.create({});
    expect(await events()).toHaveLength(1);
    expect(client.chat.completions.calls).toHaveLength(1);
  });

  it("warns by default when instrumented again, and keeps the first monitor's labels", async () => {
    const { monitor, events } = setup();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = instrumentOpenAI(
        fakeOpenAI(() => completion),
        monitor,
        {
          event: { prompt_version: "v1" },
        },
      );
      expect(instrumentOpenAI(client, monitor, { event: { prompt_version: "v2" } })).toBe(client);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(/already instrumented.*ifInstrumented/);
      await client.chat.completions.create({});
      expect((await events()).map((e) => e.prompt_version)).toEqual(["v1"]);
    } finally {
      warn.mockRestore();
    }
  });

  it("with ifInstrumented replace, later calls go to the new monitor with the new labels, once each", async () => {
    const first = setup();
    const second = setup();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = instrumentOpenAI(
        fakeOpenAI(() => completion),
        first.monitor,
        {
          event: { prompt_version: "v1" },
        },
      );
      await client.chat.completions.create({});
      instrumentOpenAI(client, second.monitor, {
        event: { prompt_version: "v2", release: "2026.12.1" },
        ifInstrumented: "replace",
      });
      await client.chat.completions.create({});
      expect(warn).not.toHaveBeenCalled();
      expect(await first.events()).toMatchObject([{ prompt_version: "v1" }]);
      expect(await second.events()).toMatchObject([{ prompt_version: "v2", release: "2026.12.1" }]);
      expect(client.chat.completions.calls).toHaveLength(2);
    } finally {
      warn.mockRestore();
    }
  });

  it("with ifInstrumented keep, says nothing and keeps the first labels", async () => {
    const { monitor, events } = setup();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = instrumentOpenAI(
        fakeOpenAI(() => completion),
        monitor,
        {
          event: { prompt_version: "v1" },
        },
      );
      instrumentOpenAI(client, monitor, {
        event: { prompt_version: "v2" },
        ifInstrumented: "keep",
      });
      await client.chat.completions.create({});
      expect(warn).not.toHaveBeenCalled();
      expect((await events()).map((e) => e.prompt_version)).toEqual(["v1"]);
    } finally {
      warn.mockRestore();
    }
  });
});
