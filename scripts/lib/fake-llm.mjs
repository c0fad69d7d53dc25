// A stand-in for an OpenAI-compatible chat API (chat.completions.create, plain and streaming)
// whose latency, answer length, usage and failures follow the scenario's draws, so the
// SDK's real instrumentation measures them as it would measure a provider.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FILLER = "Thanks for reaching out! Here is what you can do next, step by step. ";
const answer = (chars) => FILLER.repeat(Math.ceil(chars / FILLER.length)).slice(0, chars);

function providerError(draw) {
  if (draw.status === "timeout") {
    return Object.assign(new Error("Request timed out."), { name: "APIConnectionTimeoutError" });
  }
  return Object.assign(new Error("Rate limit reached for requests"), {
    name: "RateLimitError",
    status: 429,
  });
}

const usage = (draw) => ({
  prompt_tokens: draw.input_tokens,
  completion_tokens: draw.output_tokens,
  total_tokens: draw.input_tokens + draw.output_tokens,
});

/** Streams the answer in a few chunks: first token after ttft, the rest until latency. */
class FakeStream {
  constructor(draw, model) {
    this.draw = draw;
    this.model = model;
  }
  async *[Symbol.asyncIterator]() {
    const { draw, model } = this;
    const parts = 6;
    const text = answer(draw.output_chars);
    const size = Math.ceil(text.length / parts);
    await sleep(draw.ttft_ms);
    for (let i = 0; i < parts; i++) {
      const content = text.slice(i * size, (i + 1) * size);
      yield { model, choices: [{ index: 0, delta: { content }, finish_reason: null }] };
      await sleep((draw.latency_ms - draw.ttft_ms) / parts);
    }
    yield { model, choices: [{ index: 0, delta: {}, finish_reason: draw.finish_reason }] };
    yield { model, choices: [], usage: usage(draw) };
  }
}

/** `drawOf(body)` says how the "provider" answers the request `body`. */
export function createFakeOpenAI(drawOf) {
  return {
    chat: {
      completions: {
        async create(body) {
          const draw = drawOf(body);
          if (draw.status !== "ok") {
            await sleep(draw.latency_ms);
            throw providerError(draw);
          }
          if (body.stream) return new FakeStream(draw, body.model);
          await sleep(draw.latency_ms);
          return {
            object: "chat.completion",
            model: body.model,
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: answer(draw.output_chars) },
                finish_reason: draw.finish_reason,
              },
            ],
            usage: usage(draw),
          };
        },
      },
    },
  };
}
