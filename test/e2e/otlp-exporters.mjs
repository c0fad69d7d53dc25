// The OpenTelemetry JS protobuf exporter in Node (its http transport, which compresses
// with gzip when asked, as the Collector and most SDKs can) against the Worker under
// `wrangler dev`: GenAI spans exported plain and gzipped reach the deployment's window.
import assert from "node:assert/strict";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** Exports `n` chat spans of deployment `slug` in one request; resolves the export result. */
async function exportSpans(base, key, slug, n, compression) {
  const exporter = new OTLPTraceExporter({
    url: `${base}/v1/traces`,
    headers: { Authorization: `Bearer ${key}` },
    compression,
  });
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": slug }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("e2e");
  const t0 = Date.now() - 5_000;
  for (let i = 0; i < n; i++) {
    tracer
      .startSpan("chat gpt-4o-mini", {
        startTime: t0 + i,
        attributes: {
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.usage.input_tokens": 100,
          "gen_ai.usage.output_tokens": 10,
        },
      })
      .end(t0 + i + 500);
  }
  const result = await new Promise((resolve) =>
    exporter.export(memory.getFinishedSpans(), resolve),
  );
  await exporter.shutdown();
  return result;
}

async function windowCount(base, readKey, slug) {
  const res = await fetch(`${base}/v1/deployments/production/${slug}/window?range=15m`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  return res.ok ? (await res.json()).window.summary.count : 0;
}

/** Plain and gzip exports of 20 spans each; both windows count exactly 20. */
export async function checkProtobufExporter(base, keys, projectId) {
  const res = await fetch(`${base}/v1/projects/${projectId}/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/json" },
    body: JSON.stringify({ scopes: ["ingest"] }),
  });
  assert.equal(res.status, 201);
  const ingest = (await res.json()).key.secret;
  const suffix = Date.now().toString(36);
  for (const compression of ["none", "gzip"]) {
    const slug = `otlp-${compression}-${suffix}`;
    const result = await exportSpans(base, ingest, slug, 20, compression);
    assert.equal(result.code, 0, `${compression}: ${result.error}`);
    let counted = 0;
    for (let i = 0; i < 100 && counted < 20; i++) {
      counted = await windowCount(base, keys.read, slug);
      if (counted < 20) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(counted, 20, `${compression}: window count`);
  }
}
