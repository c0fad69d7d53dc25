// The OTLP/HTTP request body of /v1/traces and /v1/logs: the encoding from
// Content-Type (JSON or binary protobuf), gzip inflated under the 1 MiB cap, the body
// decoded into the OTLP/JSON shape, and answers and errors written in the request's encoding.
import type { Context } from "hono";
import type { ProjectEnv } from "../../http/app-types";
import { mediaTypeOf } from "../../http/content-type";
import { ApiError, errorBody } from "../../http/errors";
import { OtlpShapeError, type OtlpSource } from "../../ingest/otlp";
import type { PartialSuccess } from "../../ingest/otlp-protobuf";
import { MAX_BODY_BYTES } from "../events/routes";

export type OtlpEncoding = "json" | "protobuf";
export type OtlpSignal = "traces" | "logs";

const PROTOBUF_TYPES = new Set(["application/x-protobuf", "application/protobuf"]);

/** The request's encoding by Content-Type; 415 for anything else. */
export function otlpEncodingOf(header: string | undefined): OtlpEncoding {
  const type = mediaTypeOf(header, "application/json");
  if (type === "application/json") return "json";
  if (PROTOBUF_TYPES.has(type)) return "protobuf";
  throw new ApiError(
    "unsupported_media_type",
    `Content-Type '${type}' is not supported; send OTLP/HTTP as application/x-protobuf ` +
      "or application/json",
  );
}

/** Reads a stream, refusing it as soon as it grows past `max` bytes. */
async function readCapped(stream: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `Decompressed body exceeds ${max} bytes (1 MiB)`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The body's bytes. gzip (the OpenTelemetry Collector's default) is inflated under the same
 * 1 MiB cap, which the spec asks to apply after decompression too.
 */
async function readBytes(req: Request): Promise<Uint8Array> {
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase() || "identity";
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Encoding '${encoding}' is not supported; send gzip or an uncompressed body`,
    );
  }
  const bytes = new Uint8Array(await req.arrayBuffer());
  // NOTE: sniff gzip's magic bytes rather than trust the header: a proxy in front of the
  // Worker may already have inflated the body and kept the header. JSON never starts so,
  // and neither does an OTLP protobuf request (0x1f would be field 3 with wire type 7).
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return await readCapped(inflated, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("bad_request", "Body starts like gzip but does not decompress");
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError("invalid_json", `Body is not valid JSON: ${detail}`);
  }
}

/**
 * The request body in the OTLP/JSON shape, whichever encoding it came in, and which check it
 * still needs (see OtlpSource); a body that does not decode is a 400 naming why.
 */
export async function readOtlpBody(
  req: Request,
  encoding: OtlpEncoding,
  signal: OtlpSignal,
): Promise<{ body: unknown; source: OtlpSource }> {
  const bytes = await readBytes(req);
  if (encoding === "json") return { body: parseJson(bytes), source: "json" };
  const { decodeLogsRequest, decodeTraceRequest } = await import("../../ingest/otlp-protobuf");
  const decode = signal === "traces" ? decodeTraceRequest : decodeLogsRequest;
  return { body: decode(bytes), source: "decoded" };
}

/** The ExportTraceServiceResponse (or ExportLogsServiceResponse) in the request's encoding. */
export async function otlpAnswer(
  c: Context,
  encoding: OtlpEncoding,
  signal: OtlpSignal,
  partial: PartialSuccess | undefined,
  extra: Record<string, unknown>,
): Promise<Response> {
  if (encoding === "json") {
    const rejected = signal === "traces" ? "rejectedSpans" : "rejectedLogRecords";
    const partialSuccess = partial && {
      [rejected]: partial.rejected,
      errorMessage: partial.errorMessage,
    };
    return c.json({ ...(partialSuccess ? { partialSuccess } : {}), ...extra }, 200);
  }
  const { encodeLogsResponse, encodeTraceResponse } = await import("../../ingest/otlp-protobuf");
  const encode = signal === "traces" ? encodeTraceResponse : encodeLogsResponse;
  return c.body(new Uint8Array(encode(partial)), 200, {
    "Content-Type": "application/x-protobuf",
  });
}

function asApiError(err: Error, requestId: string | undefined): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof OtlpShapeError) return new ApiError("bad_request", err.message);
  console.error("OTLP export failed", requestId, err);
  return new ApiError("unavailable", "Export failed on our side; retry it", undefined, {
    "Retry-After": "5",
  });
}

/**
 * The OTLP routes' onError. Failures that are not the client's (a storage read that threw)
 * become 503 with Retry-After, which OTLP exporters retry, instead of a 500 they drop. A
 * protobuf request gets its error as a protobuf google.rpc.Status, as OTLP/HTTP requires.
 */
export async function handleOtlpError(err: Error, c: Context<ProjectEnv>): Promise<Response> {
  const requestId = c.get("requestId") ?? "unknown";
  const error = asApiError(err, requestId);
  const type = mediaTypeOf(c.req.header("content-type"));
  if (!PROTOBUF_TYPES.has(type)) {
    const body = errorBody(error.code, error.message, requestId, error.details);
    return c.json(body, error.status, error.headers);
  }
  const { encodeErrorStatus } = await import("../../ingest/otlp-protobuf");
  const body = encodeErrorStatus(error.status, error.message);
  return c.body(new Uint8Array(body), error.status, {
    ...error.headers,
    "Content-Type": "application/x-protobuf",
  });
}
