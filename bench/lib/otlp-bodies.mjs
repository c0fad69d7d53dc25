// OTLP/HTTP request bodies for bench/ingest: the same GenAI spans serialised by the
// OpenTelemetry JS serializers as binary protobuf and as JSON, so the two rows compare
// encodings of identical content.

import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { demoEvent } from "../../scripts/lib/demo-data.mjs";

/** `count` pairs of bodies, each of `size` chat spans made from demo events of `d`. */
export function otlpBodies(d, slug, size, count) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": slug,
      "service.version": "bench",
      "deployment.environment.name": "production",
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("opentelemetry.instrumentation.openai_v2");
  const json = [];
  const protobuf = [];
  for (let i = 0; i < count; i++) {
    memory.reset();
    const now = Date.now();
    for (let j = 0; j < size; j++) {
      const e = demoEvent(d, now - 1_000);
      const span = tracer.startSpan(`chat ${e.model}`, {
        startTime: now - 1_000,
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": e.provider,
          "gen_ai.request.model": e.model,
          "gen_ai.usage.input_tokens": e.input_tokens,
          "gen_ai.usage.output_tokens": e.output_tokens,
          "gen_ai.response.finish_reasons": [e.finish_reason],
          "gen_ai.prompt.version": e.prompt_version,
        },
      });
      span.end(now - 1_000 + e.latency_ms);
    }
    const spans = memory.getFinishedSpans();
    json.push(JsonTraceSerializer.serializeRequest(spans));
    protobuf.push(ProtobufTraceSerializer.serializeRequest(spans));
  }
  return { json, protobuf };
}
