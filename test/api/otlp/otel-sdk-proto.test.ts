// The real OpenTelemetry JS protobuf exporter (exporter-trace-otlp-proto, binary protobuf as
// Python, Go and Java SDKs and the Collector send by default) exports GenAI spans to the
// Worker from inside workerd; the events reach the window exactly as the JSON exporter's do.
import { exports } from "cloudflare:workers";
import { fromBinary } from "@bufbuild/protobuf";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExportTraceServiceRequestSchema } from "../../../src/ingest/otlp-pb/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import { archivedEvents, BASE, call, createProject, uniqueSlug, waitFor } from "../../helpers";

interface Exchange {
  contentType: string | null;
  body: Uint8Array;
  status: number;
  answerType: string | null;
}

/** The exporter's fetch transport, handed to the Worker's own fetch handler (see otel-sdk). */
function routeFetchToWorker(): Exchange[] {
  const exchanges: Exchange[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== BASE) throw new TypeError(`unexpected ${request.url}`);
    const body = new Uint8Array(await request.clone().arrayBuffer());
    const response = await exports.default.fetch(request);
    exchanges.push({
      contentType: request.headers.get("content-type"),
      body,
      status: response.status,
      answerType: response.headers.get("content-type"),
    });
    return response;
  });
  return exchanges;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const exporterFor = (key: string) =>
  new OTLPTraceExporter({ url: `${BASE}/v1/traces`, headers: { Authorization: `Bearer ${key}` } });

function record(provider: BasicTracerProvider, t0: number) {
  const tracer = provider.getTracer("opentelemetry.instrumentation.openai_v2", "2.1b0");
  const chat = tracer.startSpan("chat gpt-4o-mini", {
    kind: SpanKind.CLIENT,
    startTime: t0,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 350,
      "gen_ai.response.finish_reasons": ["stop"],
    },
  });
  chat.end(t0 + 1500);
  const failed = tracer.startSpan("chat gpt-4o-mini", {
    kind: SpanKind.CLIENT,
    startTime: t0 + 10,
    attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini" },
  });
  failed.setStatus({ code: SpanStatusCode.ERROR, message: "429" });
  failed.end(t0 + 310);
  const http = tracer.startSpan("GET /", { startTime: t0, attributes: { "http.route": "/" } });
  http.end(t0 + 20);
  return [chat, failed].map((s) => s.spanContext().spanId);
}

describe("OpenTelemetry JS protobuf exporter to /v1/traces", () => {
  it("lands GenAI spans in the deployment's window from binary protobuf", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otelpb");
    const exchanges = routeFetchToWorker();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        "service.name": slug,
        "service.version": "2026.12.1",
        "deployment.environment.name": "staging",
      }),
      spanProcessors: [new BatchSpanProcessor(exporterFor(p.ingest))],
    });
    const ids = record(provider, Date.now() - 5_000);
    await provider.forceFlush();
    await provider.shutdown();

    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange?.contentType).toBe("application/x-protobuf");
    expect(exchange?.status).toBe(200);
    expect(exchange?.answerType).toBe("application/x-protobuf");
    // What the exporter sent is a real ExportTraceServiceRequest with three spans.
    const sent = fromBinary(ExportTraceServiceRequestSchema, exchange?.body ?? new Uint8Array());
    expect(sent.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(3);

    const stored = await waitFor(
      () => archivedEvents(p.id),
      (events) => events.length >= 2,
    );
    const byId = new Map(stored.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    expect(byId.get(ids[0] ?? "")).toMatchObject({
      model: "gpt-4o-mini-2024-07-18",
      provider: "openai",
      latency_ms: 1500,
      input_tokens: 1200,
      output_tokens: 350,
      finish_reason: "stop",
      release: "2026.12.1",
    });
    expect(byId.get(ids[1] ?? "")).toMatchObject({ status: "error" });
    const res = await call(`/v1/deployments/staging/${slug}/window?range=15m`, { key: p.read });
    const { window } = (await res.json()) as { window: { summary: { count: number } } };
    expect(window.summary.count).toBe(2);
  });

  it("reports a non-retryable failure for an unknown key, after one attempt", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": uniqueSlug("otelpb") }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    record(provider, Date.now() - 5_000);
    await provider.shutdown();
    const exchanges = routeFetchToWorker();
    const exporter = exporterFor("dw_unknown_key");
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    expect(result.error?.message).toContain("non-retryable status 401");
    expect(exchanges.map((e) => e.status)).toEqual([401]);
  });
});
