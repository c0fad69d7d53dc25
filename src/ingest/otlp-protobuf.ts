// Binary protobuf OTLP/HTTP bodies (traces and logs), decoded with @bufbuild/protobuf from code
// generated off the official opentelemetry-proto definitions (proto/, `npm run proto:generate`),
// then written in the OTLP/JSON shape so that both encodings take one path: the same schema, mapping and limits.
// NOTE: loaded by dynamic import on protobuf requests only, so JSON requests and startup do not
// pay for the descriptors; @bufbuild/protobuf uses no eval/new Function (Workers forbid both).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { OtlpShapeError } from "./otlp";
import { StatusSchema } from "./otlp-pb/google/rpc/status_pb";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
} from "./otlp-pb/opentelemetry/proto/collector/logs/v1/logs_service_pb";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "./otlp-pb/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import type { AnyValue, KeyValue } from "./otlp-pb/opentelemetry/proto/common/v1/common_pb";
import type { LogRecord } from "./otlp-pb/opentelemetry/proto/logs/v1/logs_pb";
import type { Resource } from "./otlp-pb/opentelemetry/proto/resource/v1/resource_pb";
import type { Span } from "./otlp-pb/opentelemetry/proto/trace/v1/trace_pb";

/** An AnyValue as OTLP/JSON writes it (int64 as a decimal string, bytes as base64). */
type JsonAnyValue = Record<string, unknown>;

const hex = (bytes: Uint8Array): string => {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
};

const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

function anyValue(v: AnyValue | undefined): JsonAnyValue {
  const value = v?.value;
  switch (value?.case) {
    case "stringValue":
    case "boolValue":
    case "doubleValue":
      return { [value.case]: value.value };
    case "intValue":
      return { intValue: value.value.toString() };
    case "arrayValue":
      return { arrayValue: { values: value.value.values.map(anyValue) } };
    case "kvlistValue":
      return { kvlistValue: { values: attributes(value.value.values) } };
    case "bytesValue":
      return { bytesValue: base64(value.value) };
    default:
      // Empty, or string_value_strindex (only in profiles' dictionaries): no value.
      return {};
  }
}

function attributes(kvs: KeyValue[]) {
  return kvs.map((kv) => ({ key: kv.key, value: anyValue(kv.value) }));
}

const resource = (r: Resource | undefined) => ({ attributes: attributes(r?.attributes ?? []) });

/** Unset (zero) nanosecond times are left out, as JSON exporters leave them out. */
const nanos = (n: bigint): string | undefined => (n === 0n ? undefined : n.toString());

function span(s: Span) {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: nanos(s.endTimeUnixNano),
    attributes: attributes(s.attributes),
    events: s.events.map((e) => ({
      timeUnixNano: nanos(e.timeUnixNano),
      name: e.name,
      attributes: attributes(e.attributes),
    })),
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? "" },
  };
}

/** fromBinary, its failures (truncated, wrong wire type, too deep…) as OtlpShapeError. */
function decode<T>(what: string, bytes: Uint8Array, read: (b: Uint8Array) => T): T {
  try {
    return read(bytes);
  } catch (err) {
    const detail =
      err instanceof RangeError && /call stack/i.test(err.message)
        ? "values nest too deeply"
        : err instanceof Error
          ? err.message
          : String(err);
    // A JSON body sent as protobuf fails here: name the likely cause.
    const hint =
      bytes[0] === 0x7b ? " (the body looks like JSON: send it as application/json)" : "";
    throw new OtlpShapeError(`Body is not a protobuf ${what}: ${detail}${hint}`);
  }
}

/**
 * A protobuf ExportTraceServiceRequest in the OTLP/JSON shape `mapOtlpTraces` takes, every
 * span and resource already of the schemas' shape (its source "decoded").
 */
export function decodeTraceRequest(bytes: Uint8Array): unknown {
  const request = decode("ExportTraceServiceRequest", bytes, (b) =>
    fromBinary(ExportTraceServiceRequestSchema, b),
  );
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      resource: resource(rs.resource),
      scopeSpans: rs.scopeSpans.map((ss) => ({ spans: ss.spans.map(span) })),
    })),
  };
}

function logRecord(r: LogRecord) {
  return {
    timeUnixNano: nanos(r.timeUnixNano),
    observedTimeUnixNano: nanos(r.observedTimeUnixNano),
    eventName: r.eventName,
    traceId: hex(r.traceId),
    spanId: hex(r.spanId),
    attributes: attributes(r.attributes),
  };
}

/** A protobuf ExportLogsServiceRequest in the OTLP/JSON shape `mapOtlpLogs` takes. */
export function decodeLogsRequest(bytes: Uint8Array): unknown {
  const request = decode("ExportLogsServiceRequest", bytes, (b) =>
    fromBinary(ExportLogsServiceRequestSchema, b),
  );
  return {
    resourceLogs: request.resourceLogs.map((rl) => ({
      resource: resource(rl.resource),
      scopeLogs: rl.scopeLogs.map((sl) => ({ logRecords: sl.logRecords.map(logRecord) })),
    })),
  };
}

export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** ExportTraceServiceResponse; partial_success stays unset on full success, as the spec asks. */
export function encodeTraceResponse(partial: PartialSuccess | undefined): Uint8Array {
  const partialSuccess = partial && {
    rejectedSpans: BigInt(partial.rejected),
    errorMessage: partial.errorMessage,
  };
  return toBinary(
    ExportTraceServiceResponseSchema,
    create(ExportTraceServiceResponseSchema, {
      partialSuccess,
    }),
  );
}

/** ExportLogsServiceResponse; partial_success unset on full success. */
export function encodeLogsResponse(partial: PartialSuccess | undefined): Uint8Array {
  const partialSuccess = partial && {
    rejectedLogRecords: BigInt(partial.rejected),
    errorMessage: partial.errorMessage,
  };
  return toBinary(
    ExportLogsServiceResponseSchema,
    create(ExportLogsServiceResponseSchema, { partialSuccess }),
  );
}

/** gRPC status codes for the HTTP statuses OTLP routes answer (google.rpc.Code). */
function grpcCode(httpStatus: number): number {
  if (httpStatus === 400) return 3; // INVALID_ARGUMENT
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 403) return 7; // PERMISSION_DENIED
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus === 413 || httpStatus === 429) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 415) return 3;
  if (httpStatus === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}

/** The error body of an OTLP/HTTP protobuf response: a google.rpc.Status. */
export function encodeErrorStatus(httpStatus: number, message: string): Uint8Array {
  return toBinary(StatusSchema, create(StatusSchema, { code: grpcCode(httpStatus), message }));
}
