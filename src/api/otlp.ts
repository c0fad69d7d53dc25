// POST /v1/traces: OTLP/HTTP JSON trace exports. GenAI spans take the /v1/events path
// (validate, normalise, queue); answers follow the OTLP/HTTP spec (200 + partialSuccess).
import { enqueueReportingFailures } from "../ingest/enqueue";
import { MAX_FUTURE_MS, MAX_LATENESS_MS } from "../ingest/event-schema";
import { normalizeEvents } from "../ingest/normalize";
import { mapOtlpTraces, type OtlpMapResult, OtlpShapeError } from "../ingest/otlp";
import { MAX_EVENTS_PER_REQUEST, type Rejection } from "../ingest/parse-batch";
import { projectPrivacy } from "../privacy/project-privacy";
import { scrubPii } from "../privacy/scrub-batch";
import type { z } from "../zod";
import { admitEvents } from "./admit-events";
import { ApiError } from "./errors";
import { ingestRouter, MAX_BODY_BYTES } from "./events";
import { sendTraces, type TracesAnswerSchema } from "./ingest-contract";

/** How many distinct rejection reasons the partialSuccess message spells out. */
const SHOWN_REASONS = 5;

function checkOtlpContentType(header: string | undefined): void {
  const type = (header ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") return;
  if (type.includes("protobuf")) {
    throw new ApiError(
      "unsupported_media_type",
      "OTLP/HTTP protobuf is not supported; export OTLP/HTTP JSON instead " +
        "(OTEL_EXPORTER_OTLP_PROTOCOL=http/json, Content-Type: application/json)",
    );
  }
  throw new ApiError(
    "unsupported_media_type",
    `Content-Type '${type}' is not supported; send OTLP/HTTP JSON as application/json`,
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
 * The body as text. gzip (the OpenTelemetry Collector's default) is inflated under the same
 * 1 MiB cap, which the spec asks to apply after decompression too.
 */
async function readBody(req: Request): Promise<string> {
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase() || "identity";
  if (encoding !== "identity" && encoding !== "gzip") {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Encoding '${encoding}' is not supported; send gzip or uncompressed JSON`,
    );
  }
  const bytes = new Uint8Array(await req.arrayBuffer());
  // NOTE: sniff gzip's magic bytes rather than trust the header: a proxy in front of the
  // Worker may already have inflated the body and kept the header. JSON never starts so.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  try {
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new TextDecoder().decode(await readCapped(inflated, MAX_BODY_BYTES));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("bad_request", "Body starts like gzip but does not decompress");
  }
}

function parseRequest(text: string): OtlpMapResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError("invalid_json", `Body is not valid JSON: ${detail}`);
  }
  try {
    return mapOtlpTraces(body);
  } catch (err) {
    if (err instanceof OtlpShapeError) throw new ApiError("bad_request", err.message);
    throw err;
  }
}

interface SpanProblem {
  span: string;
  reason: string;
}

/** A validation rejection of a mapped event, in the terms of the span it came from. */
function spanProblem(r: Rejection, mapped: OtlpMapResult): SpanProblem {
  const span = mapped.events[r.index]?.id ?? `#${r.index}`;
  if (r.code === "timestamp_in_future") {
    return { span, reason: `starts more than ${MAX_FUTURE_MS / 60_000} minutes in the future` };
  }
  if (r.code === "timestamp_too_old") {
    return { span, reason: `started more than ${MAX_LATENESS_MS / 86_400_000} days ago` };
  }
  const issues = r.issues ?? [{ path: r.path, message: r.message }];
  return { span, reason: issues.map((i) => `${i.path}: ${i.message}`).join("; ") };
}

const listed = (items: string[], max: number, separator: string) =>
  items.length > max
    ? `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more`
    : items.join(separator);

/**
 * ExportTraceServiceResponse: `{}` on full success (the spec says leave partialSuccess
 * unset), else the rejected count and each distinct reason with the spans it hit.
 */
function exportResponse(problems: SpanProblem[]) {
  if (problems.length === 0) return {};
  const byReason = new Map<string, string[]>();
  for (const { span, reason } of problems) {
    byReason.set(reason, [...(byReason.get(reason) ?? []), span]);
  }
  const lines = [...byReason].map(
    ([reason, spans]) => `${reason} (span ${listed(spans, 3, ", ")})`,
  );
  const errorMessage = `${problems.length} span(s) rejected: ${listed(lines, SHOWN_REASONS, "; ")}`;
  return { partialSuccess: { rejectedSpans: problems.length, errorMessage } };
}

export const otlp = ingestRouter(sendTraces);
otlp.post("/", async (c) => {
  checkOtlpContentType(c.req.header("content-type"));
  const projectId = c.var.projectId;
  const receivedAt = Date.now();
  const mapped = parseRequest(await readBody(c.req.raw));
  // Only GenAI spans become events, so only they count against the per-request limit.
  const genAiSpans = mapped.events.length + mapped.rejected.length;
  if (genAiSpans > MAX_EVENTS_PER_REQUEST) {
    throw new ApiError(
      "payload_too_large",
      `${genAiSpans} GenAI spans in one request; the limit is ${MAX_EVENTS_PER_REQUEST} ` +
        "(lower the exporter's batch size, e.g. maxExportBatchSize)",
    );
  }
  const { valid, rejected } = await admitEvents(c, projectId, mapped.events, receivedAt);
  // OTLP clients ignore fields they do not know; ours reads the count like /v1/events.
  let piiAnswer: { pii_tags_dropped?: number; pii_fields_redacted?: number } = {};
  if (valid.length > 0) {
    const overrides = c.get("auth").priceOverrides;
    const privacy = await projectPrivacy(c.env.DB, projectId);
    const scrubbed = await scrubPii(valid, privacy);
    piiAnswer = scrubbed.answer;
    const normalized = await normalizeEvents(privacy.hashKey, scrubbed.valid, overrides);
    const failed = await enqueueReportingFailures(
      c.env.TELEMETRY,
      projectId,
      receivedAt,
      normalized,
    );
    if (failed.length > 0) {
      // OTLP exporters retry a 503 with the same spans; events are keyed by span id,
      // so the part already queued is not counted twice.
      throw new ApiError(
        "unavailable",
        `${failed.length} of ${normalized.length} spans could not be queued; retry the export`,
        undefined,
        { "Retry-After": "1" },
      );
    }
  }
  const problems = [
    ...mapped.rejected.map((r) => ({ span: `#${r.spanIndex}`, reason: r.message })),
    ...rejected.map((r) => spanProblem(r, mapped)),
  ];
  const answer = { ...exportResponse(problems), ...piiAnswer };
  return c.json(answer satisfies z.infer<typeof TracesAnswerSchema>, 200);
});
