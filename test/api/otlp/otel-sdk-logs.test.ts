// The real OpenTelemetry JS logs exporter (exporter-logs-otlp-proto, binary protobuf) sends
// GenAI evaluation results and user feedback as log records, from inside workerd, minutes after
// the spans they name: the window shows the scores and thumbs on those interactions.
import { exports } from "cloudflare:workers";
import { fromBinary } from "@bufbuild/protobuf";
import { ROOT_CONTEXT, TraceFlags, trace } from "@opentelemetry/api";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ExportLogsServiceRequestSchema } from "../../../src/ingest/otlp-pb/opentelemetry/proto/collector/logs/v1/logs_service_pb";
import { BASE, call, createProject, uniqueSlug, waitFor } from "../../helpers";

interface Exchange {
  url: string;
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
      url: request.url,
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

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPANS = ["00f067aa0ba902b7", "00f067aa0ba902b8"];

/** Two GenAI spans sent earlier as OTLP/JSON, ten minutes ago. */
async function sendSpans(ingest: string, slug: string): Promise<void> {
  const start = Date.now() - 10 * 60_000;
  const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
  const spans = SPANS.map((spanId) => ({
    traceId: TRACE,
    spanId,
    name: "chat gpt-4o-mini",
    startTimeUnixNano: ns(start),
    endTimeUnixNano: ns(start + 900),
    attributes: [{ key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } }],
  }));
  const resource = {
    attributes: [
      { key: "service.name", value: { stringValue: slug } },
      { key: "deployment.environment.name", value: { stringValue: "staging" } },
    ],
  };
  const res = await call("/v1/traces", {
    method: "POST",
    key: ingest,
    json: { resourceSpans: [{ resource, scopeSpans: [{ spans }] }] },
  });
  expect(res.status).toBe(200);
}

const onSpan = (spanId: string) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId, traceFlags: TraceFlags.SAMPLED });

interface Summary {
  count: number;
  feedback: { up: number; down: number };
  feedback_events: number;
  distributions: { evals: Record<string, { count: number; p50: number | null }> };
}

describe("OpenTelemetry JS protobuf logs exporter to /v1/logs", () => {
  it("lands evaluation results and feedback on the interactions of their spans", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otellogs");
    await sendSpans(p.ingest, slug);
    const exchanges = routeFetchToWorker();
    const exporter = new OTLPLogExporter({
      url: `${BASE}/v1/logs`,
      headers: { Authorization: `Bearer ${p.ingest}` },
    });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({
        "service.name": slug,
        "deployment.environment.name": "staging",
      }),
      processors: [new BatchLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger("evals");
    const [a = "", b = ""] = SPANS;
    for (const [spanId, score] of [
      [a, 0.9],
      [b, 0.4],
    ] as const) {
      logger.emit({
        eventName: "gen_ai.evaluation.result",
        context: onSpan(spanId),
        attributes: {
          "gen_ai.evaluation.name": "relevance",
          "gen_ai.evaluation.score.value": score,
          "gen_ai.evaluation.score.label": score >= 0.5 ? "relevant" : "irrelevant",
        },
      });
    }
    logger.emit({
      eventName: "driftwatch.feedback",
      context: onSpan(a),
      attributes: { "driftwatch.feedback.value": -1 },
    });
    logger.emit({ body: "an application log line", attributes: { "http.route": "/chat" } });
    await provider.forceFlush();
    await provider.shutdown();

    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange?.url).toBe(`${BASE}/v1/logs`);
    expect(exchange?.contentType).toBe("application/x-protobuf");
    expect(exchange?.status).toBe(200);
    expect(exchange?.answerType).toBe("application/x-protobuf");
    const sent = fromBinary(ExportLogsServiceRequestSchema, exchange?.body ?? new Uint8Array());
    expect(sent.resourceLogs[0]?.scopeLogs[0]?.logRecords).toHaveLength(4);

    const summary = await waitFor(
      async () => {
        const res = await call(`/v1/deployments/staging/${slug}/window?range=1h`, { key: p.read });
        return res.status === 200
          ? ((await res.json()) as { window: { summary: Summary } }).window.summary
          : null;
      },
      (s) => (s?.distributions.evals.relevance?.count ?? 0) >= 2 && (s?.feedback_events ?? 0) >= 1,
    );
    expect(summary?.count).toBe(2);
    expect(summary?.distributions.evals.relevance?.count).toBe(2);
    expect(summary?.feedback).toEqual({ up: 0, down: 1 });
  });
});
