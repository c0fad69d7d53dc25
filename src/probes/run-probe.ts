// One probe run: send the request, read the answer (a JSON or raw body, or an event
// stream chunk by chunk, timing the first token), and judge it. Everything that keeps
// an answer from being judged (timeout, refused connection, an oversized, malformed
// or truncated body or stream) ends as outcome "error" with the reason; assertion
// failures are "fail". Secret header values and the URL's secrets are redacted from
// every text kept.
import { type AssertionResult, excerpt, isSuccess, judge, type RunOutcome } from "./assertions";
import { renderBody } from "./definition";
import { extractJson, MalformedAnswer, SseAnswer } from "./extractor";
import { type Headers, redactSecrets } from "./headers";
import type { ProbeDefinition } from "./probe-schema";
import { SseParser } from "./sse";
import { urlSecrets } from "./url-secrets";

/** Answers above this are not read further: the run is an error. */
export const MAX_ANSWER_BYTES = 1_000_000;

export interface RunResult {
  id: string;
  outcome: RunOutcome;
  startedAt: number;
  httpStatus: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  score: number | null;
  error: string | null;
  /** Why the error happened, in one word, for the synthetic event's error_type. */
  errorType: "timeout" | "connection" | "malformed" | "too_large" | null;
  results: AssertionResult[];
  /** The extracted answer (2xx), else null. Not stored whole: see answerExcerpt. */
  answer: string | null;
  answerExcerpt: string | null;
}

class TooLarge extends Error {}

interface Read {
  text: string;
  ttftMs: number | null;
  /** An sse answer, when the extractor reads a stream. */
  sse: SseAnswer | null;
}

async function readBody(
  res: Response,
  def: ProbeDefinition,
  started: number,
  now: () => number,
): Promise<Read> {
  const sse =
    def.extractor.type === "sse" && isSuccess(res.status)
      ? new SseAnswer(def.extractor.path)
      : null;
  const parser = sse ? new SseParser() : null;
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  let ttftMs: number | null = null;
  if (reader) {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > MAX_ANSWER_BYTES)
          throw new TooLarge(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
        const chunk = decoder.decode(value, { stream: true });
        if (!parser || !sse) {
          text += chunk;
          continue;
        }
        for (const ev of parser.push(chunk)) {
          if (sse.add(ev) !== "" && ttftMs === null) ttftMs = now() - started;
        }
        // NOTE: [DONE] ends the answer even if the server keeps the connection open.
        if (sse.done) break;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  const tail = decoder.decode();
  if (!parser || !sse) text += tail;
  else if (!sse.done) {
    for (const ev of parser.push(tail)) sse.add(ev);
    if (parser.end().incomplete)
      throw new MalformedAnswer("the stream ended in the middle of an event");
  }
  return { text, ttftMs, sse };
}

function describeFailure(
  err: unknown,
  timedOut: boolean,
  timeoutMs: number,
): Pick<RunResult, "error" | "errorType"> {
  if (timedOut) return { error: `no complete answer within ${timeoutMs} ms`, errorType: "timeout" };
  if (err instanceof TooLarge) return { error: err.message, errorType: "too_large" };
  if (err instanceof MalformedAnswer)
    return { error: `malformed answer: ${err.message}`, errorType: "malformed" };
  const message = err instanceof Error ? err.message : String(err);
  return { error: `request failed: ${message}`, errorType: "connection" };
}

/** A run that was not attempted: the target is not allowed (checked again at run time). */
export function blockedRun(id: string, startedAt: number, reason: string): RunResult {
  return {
    id,
    outcome: "error",
    startedAt,
    httpStatus: null,
    latencyMs: null,
    ttftMs: null,
    score: null,
    error: `target not allowed: ${reason}`,
    errorType: "connection",
    results: [],
    answer: null,
    answerExcerpt: null,
  };
}

export interface RunOptions {
  runId: string;
  /** Epoch ms clock; Date.now in production. */
  now?: () => number;
  fetcher?: typeof fetch;
}

export async function runProbe(
  def: ProbeDefinition,
  secretHeaders: Headers,
  opts: RunOptions,
): Promise<RunResult> {
  const now = opts.now ?? Date.now;
  const fetcher = opts.fetcher ?? fetch;
  const startedAt = now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, def.timeout_ms);
  const fromUrl = urlSecrets(def.url);
  const redact = (s: string) => redactSecrets(s, secretHeaders, fromUrl);
  const base = { id: opts.runId, startedAt, ttftMs: null, score: null, results: [], answer: null };
  let status: number | null = null;
  try {
    const body = renderBody(def.body, { runId: opts.runId, now: startedAt });
    const res = await fetcher(def.url, {
      method: def.method,
      headers: { "user-agent": "Driftwatch-Probe/1", ...def.headers, ...secretHeaders },
      ...(body === null ? {} : { body }),
      // A redirect is judged as its 3xx status: following it could leave the checked target.
      redirect: "manual",
      signal: controller.signal,
    });
    status = res.status;
    const read = await readBody(res, def, startedAt, now);
    const latencyMs = now() - startedAt;
    let answer: string | null = null;
    if (isSuccess(res.status)) {
      answer =
        def.extractor.type === "json"
          ? extractJson(read.text, def.extractor.path)
          : read.sse
            ? read.sse.text
            : read.text;
    }
    const judged = judge(def.assertions, {
      status: res.status,
      latency_ms: latencyMs,
      ttft_ms: read.ttftMs,
      answer,
    });
    // Observed excerpts are answer text, which may echo the request: redact it too.
    const results = judged.results.map((r) =>
      typeof r.observed === "string" ? { ...r, observed: redact(r.observed) } : r,
    );
    return {
      ...base,
      outcome: judged.outcome,
      httpStatus: res.status,
      latencyMs,
      ttftMs: read.ttftMs,
      score: judged.score,
      error: null,
      errorType: null,
      results,
      answer,
      answerExcerpt: redact(excerpt(answer ?? read.text)),
    };
  } catch (err) {
    const failure = describeFailure(err, timedOut, def.timeout_ms);
    return {
      ...base,
      outcome: "error",
      httpStatus: status,
      latencyMs: timedOut ? def.timeout_ms : now() - startedAt,
      ...failure,
      error: failure.error === null ? null : redact(failure.error),
      answerExcerpt: null,
    };
  } finally {
    clearTimeout(timer);
  }
}
