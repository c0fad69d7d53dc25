// Wraps OpenAI-compatible and Anthropic clients in place: each create() call becomes a
// tracked event (latency, ttft, usage, finish reason, status) without changing what
// the caller receives; streams are observed as the caller consumes them.
import { newEventId } from "./pack";
import { anthropicReader, openaiReader, type Reader } from "./readers";
import type { Monitor, TrackInput } from "./types";

export interface InstrumentOptions {
  /** Fields added to every event, e.g. `{ prompt_version: "v14", tags: { intent: "refund" } }`. */
  event?: TrackInput;
  /** Clock for latency and ttft; default performance.now when present. */
  now?: () => number;
  /**
   * When the client is already instrumented (a client is never wrapped twice, so each call
   * is tracked once): "warn" (default) keeps the first monitor and options and logs a
   * console warning; "replace" makes this monitor and these options apply to the calls
   * that follow (a new release's prompt_version); "keep" keeps the first ones silently.
   */
  ifInstrumented?: "warn" | "replace" | "keep";
}

interface Method {
  create(
    body: { model?: string; stream?: boolean | null },
    ...rest: unknown[]
  ): PromiseLike<unknown>;
}
export interface OpenAILike {
  chat: { completions: Method };
}
export interface AnthropicLike {
  messages: Method;
}

/** What an instrumented create() reports to; replaceable without wrapping again. */
interface Binding {
  monitor: Monitor;
  options: InstrumentOptions;
  now: () => number;
}

const ids = new WeakMap<object, string>();
const bindings = new WeakMap<Method["create"], Binding>();

/** The event id tracked for a result (or stream) returned by an instrumented client. */
export const eventIdOf = (result: unknown): string | undefined =>
  typeof result === "object" && result ? ids.get(result) : undefined;

type ErrorLike = { name?: unknown; message?: unknown; status?: unknown; code?: unknown };

/** Status and error_type for a failed call; timeouts are told apart from other errors. */
export const classifyError = (error: unknown): Pick<TrackInput, "status" | "error_type"> => {
  const e: ErrorLike = typeof error === "object" && error ? error : {};
  const text = `${e.name} ${e.message} ${e.code}`;
  const status = typeof e.status === "number" ? e.status : 0;
  if (status === 408 || status === 504 || /time[d ]?out/i.test(text)) {
    return { status: "timeout", error_type: "timeout" };
  }
  const type =
    status === 429
      ? "rate_limit"
      : /context.length|maximum context|too long/i.test(text)
        ? "context_length"
        : status === 401 || status === 403
          ? "auth"
          : status === 529 || /overloaded/i.test(text)
            ? "overloaded"
            : status >= 500
              ? "server_error"
              : status >= 400
                ? "invalid_request"
                : /abort/i.test(text)
                  ? "aborted"
                  : /connection|fetch failed|network/i.test(text)
                    ? "connection"
                    : "error";
  return { status: "error", error_type: type };
};

const clock = () =>
  typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

const ALREADY =
  "@driftwatch/sdk: this client is already instrumented; its first monitor and event fields " +
  'stay in use. Pass { ifInstrumented: "replace" } to use the new ones, or "keep" to silence this.';

const patch = (target: Method, monitor: Monitor, reader: Reader, options: InstrumentOptions) => {
  const original = target.create;
  const binding: Binding = { monitor, options, now: options.now ?? clock() };
  const existing = bindings.get(original);
  if (existing) {
    const choice = options.ifInstrumented ?? "warn";
    if (choice === "replace") Object.assign(existing, binding);
    else if (choice === "warn") console.warn(ALREADY);
    return;
  }
  const create: Method["create"] = (body, ...rest) => {
    const { monitor, options, now } = binding;
    const start = now();
    const id = newEventId();
    const event: TrackInput = {
      provider: reader.provider,
      ...options.event,
      id,
      model: body?.model,
    };
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      monitor.track({ ...event, latency_ms: Math.max(0, now() - start) });
    };
    const fail = (error: unknown) => {
      Object.assign(event, classifyError(error));
      record();
    };
    const observe = (stream: AsyncIterable<unknown>) => {
      const iterator = stream[Symbol.asyncIterator].bind(stream);
      async function* instrumented() {
        try {
          for await (const chunk of { [Symbol.asyncIterator]: iterator }) {
            if (reader.chunk(chunk, event) && event.ttft_ms === undefined) {
              event.ttft_ms = Math.max(0, now() - start);
            }
            yield chunk;
          }
        } catch (error) {
          fail(error);
          throw error;
        } finally {
          record();
        }
      }
      try {
        Object.defineProperty(stream, Symbol.asyncIterator, {
          value: instrumented,
          configurable: true,
        });
      } catch {
        record(); // A frozen stream cannot be observed; keep the call's latency at least.
      }
    };
    let pending: PromiseLike<unknown>;
    try {
      pending = original.call(target, body, ...rest);
    } catch (error) {
      fail(error);
      throw error;
    }
    pending.then((result) => {
      if (typeof result === "object" && result) ids.set(result, id);
      if (body?.stream && isAsyncIterable(result)) return observe(result);
      reader.result(result, event);
      record();
    }, fail);
    // The caller gets the provider's own promise (e.g. OpenAI's APIPromise); our
    // handlers were attached first, so they run before the caller sees the result.
    return pending;
  };
  bindings.set(create, binding);
  target.create = create;
};

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === "object" && !!value && Symbol.asyncIterator in value;

/**
 * Tracks every `client.chat.completions.create` call; returns the same client.
 * `options.event` labels every event (prompt_version, release, tags…); see
 * `ifInstrumented` for a client instrumented again.
 */
export const instrumentOpenAI = <C extends OpenAILike>(
  client: C,
  monitor: Monitor,
  options: InstrumentOptions = {},
): C => {
  patch(client.chat.completions, monitor, openaiReader, options);
  return client;
};

/** Tracks every `client.messages.create` call; returns the same client (options as above). */
export const instrumentAnthropic = <C extends AnthropicLike>(
  client: C,
  monitor: Monitor,
  options: InstrumentOptions = {},
): C => {
  patch(client.messages, monitor, anthropicReader, options);
  return client;
};
