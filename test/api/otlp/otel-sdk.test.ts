// The real OpenTelemetry JS SDK (sdk-trace-base + exporter-trace-otlp-http) exports GenAI
// spans to the Worker from inside workerd; the events reach the deployment's window.
import { exports } from "cloudflare:workers";
import { context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_EVALUATION_NAME,
  ATTR_GEN_AI_EVALUATION_SCORE_VALUE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
} from "@opentelemetry/semantic-conventions/incubating";
import { afterEach, describe, expect, it, vi } from "vitest";
import { archivedEvents, BASE, call, createProject, uniqueSlug, waitFor } from "../../helpers";

interface Exchange {
  headers: Headers;
  body: string;
  status: number;
  answer: string;
}

/**
 * The exporter's fetch transport calls `globalThis.fetch`; in a test that would leave the
 * isolate, so requests to BASE are handed to the Worker's own fetch handler instead.
 */
function routeFetchToWorker(): Exchange[] {
  const exchanges: Exchange[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== BASE) throw new TypeError(`unexpected ${request.url}`);
    const body = await request.clone().text();
    const response = await exports.default.fetch(request);
    const answer = await response.clone().text();
    exchanges.push({ headers: request.headers, body, status: response.status, answer });
    return response;
  });
  return exchanges;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const exporterFor = (key: string) =>
  new OTLPTraceExporter({ url: `${BASE}/v1/traces`, headers: { Authorization: `Bearer ${key}` } });

/** An HTTP server span with three LLM calls under it, as an instrumented app would record. */
function recordConversation(provider: BasicTracerProvider, t0: number): Span[] {
  const tracer = provider.getTracer("support-bot", "1.4.0");
  const request = tracer.startSpan("POST /chat", {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: { "http.request.method": "POST", "http.route": "/chat" },
  });
  const inRequest = trace.setSpan(context.active(), request);
  const llm = (
    name: string,
    start: number,
    attributes: Record<string, string | number | string[]>,
  ) => tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: start, attributes }, inRequest);

  const chat = llm("chat gpt-4o-mini", t0 + 10, {
    [ATTR_GEN_AI_PROVIDER_NAME]: "openai",
    [ATTR_GEN_AI_REQUEST_MODEL]: "gpt-4o-mini",
    [ATTR_GEN_AI_RESPONSE_MODEL]: "gpt-4o-mini-2024-07-18",
    [ATTR_GEN_AI_REQUEST_TEMPERATURE]: 0.2,
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1200,
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 350,
    [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ["stop"],
    [ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]: 0.25,
  });
  chat.addEvent("gen_ai.evaluation.result", {
    [ATTR_GEN_AI_EVALUATION_NAME]: "relevance",
    [ATTR_GEN_AI_EVALUATION_SCORE_VALUE]: 0.9,
  });
  chat.end(t0 + 1510);

  // Older instrumentations still emit the deprecated names.
  const legacy = llm("chat claude-sonnet-4-5", t0 + 20, {
    [ATTR_GEN_AI_SYSTEM]: "anthropic",
    [ATTR_GEN_AI_REQUEST_MODEL]: "claude-sonnet-4-5",
    [ATTR_GEN_AI_USAGE_PROMPT_TOKENS]: 800,
    [ATTR_GEN_AI_USAGE_COMPLETION_TOKENS]: 200,
  });
  legacy.end(t0 + 2020);

  const failed = llm("chat gpt-4o-mini", t0 + 30, {
    [ATTR_GEN_AI_PROVIDER_NAME]: "openai",
    [ATTR_GEN_AI_REQUEST_MODEL]: "gpt-4o-mini",
    [ATTR_ERROR_TYPE]: "rate_limit",
  });
  failed.setStatus({ code: SpanStatusCode.ERROR, message: "429 Too Many Requests" });
  failed.end(t0 + 330);

  request.end(t0 + 2100);
  return [chat, legacy, failed];
}

interface SentRequest {
  resourceSpans: {
    scopeSpans: {
      spans: {
        spanId: string;
        traceId: string;
        startTimeUnixNano: string;
        attributes: { key: string; value: { intValue?: number | string; doubleValue?: number } }[];
      }[];
    }[];
  }[];
}

interface StoredEvent {
  model?: string;
  provider?: string;
  latency_ms?: number;
  ttft_ms?: number;
  input_tokens?: number;
  output_tokens?: number;
  finish_reason?: string;
  status?: string;
  error_type?: string;
  evals?: Record<string, number>;
  release?: string;
}

async function storedEvents(projectId: string): Promise<Map<string, StoredEvent>> {
  const events = await archivedEvents(projectId);
  return new Map(events.map((e) => [e.id, e as unknown as StoredEvent]));
}

describe("OpenTelemetry JS SDK export to /v1/traces", () => {
  it("lands GenAI spans in the deployment's window, mapped from the SDK's own JSON", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otel");
    const exchanges = routeFetchToWorker();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: slug,
        [ATTR_SERVICE_VERSION]: "2026.11.2",
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: "staging",
      }),
      spanProcessors: [new BatchSpanProcessor(exporterFor(p.ingest))],
    });
    const [chat, legacy, failed] = recordConversation(provider, Date.now() - 5_000);
    await provider.forceFlush();
    await provider.shutdown();

    // One OTLP/HTTP JSON request, fully accepted: an empty ExportTraceServiceResponse.
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange?.headers.get("content-type")).toBe("application/json");
    expect(exchange?.status).toBe(200);
    expect(JSON.parse(exchange?.answer ?? "null")).toEqual({});

    // What the SDK wrote: hex ids, string nanoseconds, typed attribute values; four spans.
    const sent = JSON.parse(exchange?.body ?? "{}") as SentRequest;
    const spans = sent.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans).toHaveLength(4);
    for (const s of spans) {
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.startTimeUnixNano).toMatch(/^\d{19}$/);
    }
    const ids = [chat, legacy, failed].map((s) => s?.spanContext().spanId ?? "");
    const sentChat = spans.find((s) => s.spanId === ids[0]);
    const chatAttrs = new Map(sentChat?.attributes.map((a) => [a.key, a.value]));
    // proto3 JSON allows int64 as a number or a string; the mapper takes both.
    expect([1200, "1200"]).toContainEqual(chatAttrs.get(ATTR_GEN_AI_USAGE_INPUT_TOKENS)?.intValue);
    expect(chatAttrs.get(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)).toEqual({ doubleValue: 0.25 });

    // Span ids became event ids; the HTTP span was ignored.
    const stored = await waitFor(
      () => storedEvents(p.id),
      (m) => m.size >= 3,
    );
    expect([...stored.keys()].sort()).toEqual([...ids].sort());
    expect(stored.get(ids[0] ?? "")).toMatchObject({
      model: "gpt-4o-mini-2024-07-18",
      provider: "openai",
      latency_ms: 1500,
      ttft_ms: 250,
      input_tokens: 1200,
      output_tokens: 350,
      finish_reason: "stop",
      status: "ok",
      evals: { relevance: 0.9 },
      release: "2026.11.2",
    });
    expect(stored.get(ids[1] ?? "")).toMatchObject({
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      latency_ms: 2000,
      input_tokens: 800,
      output_tokens: 200,
    });
    expect(stored.get(ids[2] ?? "")).toMatchObject({ status: "error", error_type: "rate_limit" });

    const res = await call(`/v1/deployments/staging/${slug}/window?range=15m`, { key: p.read });
    expect(res.status).toBe(200);
    const { window } = (await res.json()) as {
      window: {
        summary: {
          count: number;
          status: { error: number };
          tokens: { input: number; output: number };
          categories: { model: Record<string, number> };
          distributions: { evals: Record<string, { count: number }> };
        };
      };
    };
    expect(window.summary.count).toBe(3);
    expect(window.summary.status.error).toBe(1);
    expect(window.summary.tokens).toEqual({ input: 2000, output: 550 });
    expect(window.summary.categories.model).toEqual({
      "gpt-4o-mini-2024-07-18": 1,
      "claude-sonnet-4-5": 1,
      "gpt-4o-mini": 1,
    });
    expect(window.summary.distributions.evals.relevance?.count).toBe(1);
  });

  it("reports a non-retryable failure to the exporter when the key is unknown", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: uniqueSlug("otel") }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    recordConversation(provider, Date.now() - 5_000);
    await provider.shutdown();

    const exchanges = routeFetchToWorker();
    const exporter = exporterFor("dw_unknown_key");
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    expect(result.error?.message).toContain("non-retryable status 401");
    // 401 is not in OTLP's retryable set (429, 502, 503, 504): exactly one attempt.
    expect(exchanges.map((e) => e.status)).toEqual([401]);
  });
});
