// Test helper: an OTLP/JSON export (hex ids, as OTLP/JSON writes them) encoded as the binary
// protobuf an OTLP/HTTP exporter sends, through the generated opentelemetry-proto code.
import { fromJson, type JsonValue, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../src/ingest/otlp-pb/opentelemetry/proto/collector/logs/v1/logs_service_pb";
import { ExportTraceServiceRequestSchema } from "../src/ingest/otlp-pb/opentelemetry/proto/collector/trace/v1/trace_service_pb";

const ID_KEYS = new Set(["traceId", "spanId", "parentSpanId"]);

const hexToBase64 = (hex: string) =>
  btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));

/** OTLP/JSON → proto3 JSON: ids become base64 of their bytes; the rest is the same. */
function protoJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(protoJson);
  if (typeof value !== "object" || value === null) return value as JsonValue;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      ID_KEYS.has(k) && typeof v === "string" ? hexToBase64(v) : protoJson(v),
    ]),
  );
}

export function encodeTraces(otlpJson: unknown): Uint8Array {
  return toBinary(
    ExportTraceServiceRequestSchema,
    fromJson(ExportTraceServiceRequestSchema, protoJson(otlpJson)),
  );
}

export function encodeLogs(otlpJson: unknown): Uint8Array {
  return toBinary(
    ExportLogsServiceRequestSchema,
    fromJson(ExportLogsServiceRequestSchema, protoJson(otlpJson)),
  );
}
