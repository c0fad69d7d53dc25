// POST /v1/traces: OTLP/HTTP trace exports, JSON or binary protobuf. GenAI spans take the
// /v1/events path (validate, normalise, queue); answers follow the OTLP/HTTP spec (200 +
// partialSuccess, in the request's encoding; 429/503 with Retry-After are the retryable ones).

import { ApiError } from "../../http/errors";
import { MAX_FUTURE_MS, MAX_LATENESS_MS } from "../../ingest/event-schema";
import { normalizeEvents } from "../../ingest/normalize";
import { mapOtlpTraces, type OtlpMapResult } from "../../ingest/otlp";
import type { PartialSuccess } from "../../ingest/otlp-protobuf";
import { MAX_EVENTS_PER_REQUEST, type Rejection } from "../../ingest/parse-batch";
import { scrubPii } from "../../ingest/scrub-batch";
import { projectPrivacy } from "../../privacy/project-privacy";
import { enqueueReportingFailures } from "../../queue/enqueue";
import { admitEvents } from "../events/admit-events";
import { sendTraces } from "../events/ingest-contract";
import { ingestRouter } from "../events/routes";
import { handleOtlpError, otlpAnswer, otlpEncodingOf, readOtlpBody } from "../otlp-body";

/** How many distinct rejection reasons the partialSuccess message spells out. */
const SHOWN_REASONS = 5;

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
 * ExportTraceServiceResponse's partial success: unset on full success (as the spec says),
 * else the rejected count and each distinct reason with the spans it hit.
 */
function partialSuccess(problems: SpanProblem[]): PartialSuccess | undefined {
  if (problems.length === 0) return undefined;
  const byReason = new Map<string, string[]>();
  for (const { span, reason } of problems) {
    byReason.set(reason, [...(byReason.get(reason) ?? []), span]);
  }
  const lines = [...byReason].map(
    ([reason, spans]) => `${reason} (span ${listed(spans, 3, ", ")})`,
  );
  const errorMessage = `${problems.length} span(s) rejected: ${listed(lines, SHOWN_REASONS, "; ")}`;
  return { rejected: problems.length, errorMessage };
}

export const otlp = ingestRouter(sendTraces);
otlp.onError(handleOtlpError);
otlp.post("/", async (c) => {
  const encoding = otlpEncodingOf(c.req.header("content-type"));
  const projectId = c.var.projectId;
  const receivedAt = Date.now();
  const { body, source } = await readOtlpBody(c.req.raw, encoding);
  const mapped = mapOtlpTraces(body, source);
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
  // OTLP clients ignore fields they do not know; JSON answers carry ours (protobuf cannot).
  return otlpAnswer(c, encoding, partialSuccess(problems), piiAnswer);
});
