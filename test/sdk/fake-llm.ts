// Fake OpenAI-compatible and Anthropic clients: scripted responses, streams whose
// chunks arrive on a controllable clock, and provider-style errors.
import { createMonitor } from "../../packages/sdk/src";
import { fakeFetch } from "./fake-fetch";

/** A monitor on a fake fetch, a fake clock, and `events()` = flush + what was sent. */
export const llmHarness = () => {
  const clock = fakeClock();
  const { fetch, requests } = fakeFetch();
  const monitor = createMonitor({
    endpoint: "https://dw.example",
    key: "k",
    deployment: "support-bot",
    flushIntervalMs: 0,
    fetch,
  });
  const events = async () => {
    await monitor.flush();
    return requests.flatMap((r) => r.events);
  };
  return { clock, monitor, events, tick: () => clock.advance(50), wait: () => clock.advance(100) };
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "APIError";
  }
}

/** A clock the fake streams advance, so latency and ttft are exact. */
export const fakeClock = () => {
  let t = 1000;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
};

/** Like the SDKs' Stream classes: an object with methods and an async iterator. */
export class FakeStream<T> {
  readonly controller = new AbortController();
  constructor(
    private readonly chunks: T[],
    private readonly tick: () => void,
    private readonly failAfter?: Error,
  ) {}
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const chunk of this.chunks) {
      this.tick();
      await Promise.resolve();
      yield chunk;
    }
    if (this.failAfter) throw this.failAfter;
  }
}

type Body = { model?: string; stream?: boolean | null; messages?: unknown[] };
type Respond = (body: Body) => unknown;

const method = (respond: Respond, delay: () => void) => ({
  calls: [] as Body[],
  async create(body: Body, _options?: { signal?: AbortSignal }) {
    this.calls.push(body);
    delay();
    await Promise.resolve();
    const result = respond(body);
    if (result instanceof Error) throw result;
    return result;
  },
});

export const fakeOpenAI = (respond: Respond, delay: () => void = () => {}) => ({
  chat: { completions: method(respond, delay) },
  models: { list: () => ["gpt-4o"] },
});

export const fakeAnthropic = (respond: Respond, delay: () => void = () => {}) => ({
  messages: method(respond, delay),
});

export const collect = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
};
