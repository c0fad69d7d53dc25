// POST /v1/traces: OTLP/HTTP trace exports, JSON or binary protobuf. GenAI spans take the
// /v1/events path (validate, normalise, queue); answers follow the OTLP/HTTP spec (200 +
// partialSuccess, in the request's encoding; 429/503 with Retry-After are the retryable ones).

import type { Context } from "hono";
import type { ProjectEnv } from "../../http/app-types";
import { ApiError } from "../../http/errors";
import { MAX_FUTURE_MS, MAX_LATENESS_MS } from "../../ingest/event-schema";
import { mapOtlpTraces, type OtlpMapResult } from "../../ingest/otlp";
import type { PartialSuccess } from "../../ingest/otlp-protobuf";
import { MAX_EVENTS_PER_REQUEST, type Rejection } from "../../ingest/parse-batch";
import { sendTraces } from "../events/ingest-contract";
import { ingestItems } from "../events/ingest-sequence";
import { ingestRouter } from "../events/routes";
import { handleOtlpError, otlpAnswer, otlpEncodingOf, readOtlpBody } from "./body";

/** How many distinct rejection reasons the partialSuccess message spells out. */
const SHOWN_REASONS = 5;

/** A rejected span or log record (`span`: its id or `#index`) and why. */
export interface SpanProblem {
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
export function partialSuccess(problems: SpanProblem[], noun = "span"): PartialSuccess | undefined {
  if (problems.length === 0) return undefined;
  const byReason = new Map<string, string[]>();
  for (const { span, reason } of problems) {
    byReason.set(reason, [...(byReason.get(reason) ?? []), span]);
  }
  const lines = [...byReason].map(
    ([reason, spans]) => `${reason} (${noun} ${listed(spans, 3, ", ")})`,
  );
  const errorMessage = `${problems.length} ${noun}(s) rejected: ${listed(lines, SHOWN_REASONS, "; ")}`;
  return { rejected: problems.length, errorMessage };
}

/**
 * The ingest sequence of both OTLP routes, after mapping: admit, scrub, normalise and queue.
 * Answers the events' rejections; throws a retryable 503 when some could not be queued.
 */
export async function queueOtlpEvents(
  c: Context<ProjectEnv>,
  events: unknown[],
  receivedAt: number,
  noun: string,
): Promise<{
  rejected: Rejection[];
  piiAnswer: { pii_tags_dropped?: number; pii_fields_redacted?: number };
}> {
  const { rejected, normalized, failed, piiAnswer } = await ingestItems(c, events, receivedAt);
  if (failed.length > 0) {
    // OTLP exporters retry a 503 with the same data; events are keyed by span id,
    // so the part already queued is not counted twice.
    throw new ApiError(
      "unavailable",
      `${failed.length} of ${normalized.length} ${noun}s could not be queued; retry the export`,
      undefined,
      { "Retry-After": "1" },
    );
  }
  return { rejected, piiAnswer };
}

export const otlp = ingestRouter(sendTraces);
otlp.onError(handleOtlpError);
otlp.post("/", async (c) => {
  const encoding = otlpEncodingOf(c.req.header("content-type"));
  const receivedAt = Date.now();
  const { body, source } = await readOtlpBody(c.req.raw, encoding, "traces");
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
  const { rejected, piiAnswer } = await queueOtlpEvents(c, mapped.events, receivedAt, "span");
  const problems = [
    ...mapped.rejected.map((r) => ({ span: `#${r.spanIndex}`, reason: r.message })),
    ...rejected.map((r) => spanProblem(r, mapped)),
  ];
  // OTLP clients ignore fields they do not know; JSON answers carry ours (protobuf cannot).
  return otlpAnswer(c, encoding, "traces", partialSuccess(problems), piiAnswer);
});
