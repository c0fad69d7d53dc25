// The ingest routes as the document shows them: POST /v1/events, /v1/traces and /v1/logs. Their
// bodies are checked by src/ingest, not by route validators (see documentOnly), against
// the very schemas named here; the answers' types are checked against these schemas at
// compile time (`satisfies`), with no work per request.

import { apiRoute, json } from "../../http/openapi/route";
import { ProjectQuery } from "../../http/shared-params";
import {
  EvalEventSchema,
  FeedbackEventSchema,
  InteractionEventSchema,
} from "../../ingest/event-schema";
import { ExportLogsServiceRequestSchema } from "../../ingest/otlp-logs";
import { ExportTraceServiceRequestSchema } from "../../ingest/otlp-schema";
import { MAX_EVENTS_PER_REQUEST } from "../../ingest/parse-batch";
import { z } from "../../zod";

const EventSchema = z.union([
  InteractionEventSchema.meta({ id: "Event", description: "One AI interaction" }),
  FeedbackEventSchema.meta({
    id: "FeedbackEvent",
    description: "Late feedback on an interaction sent earlier (`ref`: its id)",
  }),
  EvalEventSchema.meta({
    id: "EvalEvent",
    description: "Late eval scores of an interaction sent earlier (`ref`: its id)",
  }),
]);

const EventsBodySchema = z.union([
  EventSchema,
  z.array(EventSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
  z.strictObject({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_REQUEST) }),
]);

const IngestQuery = ProjectQuery.extend({
  key: z.string().optional().meta({
    description: "The ingest key, for navigator.sendBeacon (which cannot set headers)",
  }),
});

export const RejectionSchema = z
  .object({
    index: z.number().int().meta({ description: "The event's position in the request" }),
    code: z.enum([
      "invalid_event",
      "timestamp_in_future",
      "timestamp_too_old",
      "deployment_limit",
      "deployment_not_allowed",
    ]),
    path: z.string().meta({ description: "The first bad field, e.g. `latency_ms`" }),
    message: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "Every bad field of an invalid event (at most 10)" }),
  })
  .meta({ id: "Rejection" });

const PiiDropped = z
  .number()
  .int()
  .optional()
  .meta({
    description:
      "Tags dropped because their key or value looks like personal data (only when the " +
      "project's drop_pii_tags is on)",
  });
const PiiRedacted = z
  .number()
  .int()
  .optional()
  .meta({
    description:
      "Ids and labels replaced by pii-<hash>, and eval names dropped, as personal data (only " +
      "when the project's drop_pii_tags is on)",
  });

export const EventsAnswerSchema = z.object({
  accepted: z.number().int(),
  rejected: z.array(RejectionSchema),
  ids: z.array(z.string()).meta({ description: "The accepted events' ids, in request order" }),
  pii_tags_dropped: PiiDropped,
  pii_fields_redacted: PiiRedacted,
});

export const sendEvents = apiRoute({
  method: "post",
  path: "/",
  access: "ingest",
  errors: [413, 503],
  tags: ["Ingest"],
  summary: "Send events (beacons)",
  description:
    "One event, an array, or `{events: [...]}`: at most 1,000 events and 1 MiB. Each event is " +
    "validated on its own: good ones are queued, bad ones come back in `rejected[]`. " +
    "`text/plain` is read as JSON too (navigator.sendBeacon). A 400 with no valid event " +
    "carries `details.rejected`; a 503 names the events not queued in `details.not_queued` " +
    "(resend them, or repeat the request with the same Idempotency-Key).",
  request: {
    query: IngestQuery.extend({
      idempotency_key: z.string().optional().meta({ description: "As the header, for sendBeacon" }),
      beacon: z
        .enum(["1"])
        .optional()
        .meta({
          description:
            "`1`: nobody waits for the answer (navigator.sendBeacon, a Worker's waitUntil), so " +
            "a small request may be held up to 2 s to share a storage commit with others " +
            "(cheaper). Without it a small request is committed at once.",
        }),
    }),
    headers: z.object({
      "idempotency-key": z.string().min(1).max(128).optional().meta({
        description: "Repeat a request with the same key and nothing is counted twice",
      }),
    }),
    body: {
      content: { ...json(EventsBodySchema), "text/plain": { schema: EventsBodySchema } },
    },
  },
  responses: { 202: { description: "Queued", content: json(EventsAnswerSchema) } },
});

export const TracesAnswerSchema = z.object({
  partialSuccess: z
    .object({ rejectedSpans: z.number().int(), errorMessage: z.string() })
    .optional()
    .meta({ description: "Unset when every GenAI span was accepted (OTLP/HTTP)" }),
  pii_tags_dropped: PiiDropped,
  pii_fields_redacted: PiiRedacted,
});

/** A binary protobuf OTLP message (opentelemetry-proto), for the document only. */
const protobuf = (message: string) => ({
  "application/x-protobuf": {
    schema: z.string().meta({ format: "binary", description: `A protobuf ${message}` }),
  },
});

export const sendTraces = apiRoute({
  method: "post",
  path: "/",
  access: "ingest",
  errors: [413, 503],
  tags: ["Ingest"],
  summary: "Send OTLP/HTTP traces (protobuf or JSON)",
  description:
    "An OpenTelemetry ExportTraceServiceRequest as binary protobuf or JSON (gzip allowed); " +
    "spans with GenAI semantic-convention attributes become events, other spans are ignored. " +
    "The answer (and an error's google.rpc.Status) comes in the request's encoding.",
  request: {
    query: IngestQuery,
    body: {
      content: {
        ...json(ExportTraceServiceRequestSchema),
        ...protobuf("ExportTraceServiceRequest"),
      },
    },
  },
  responses: {
    200: {
      description: "Exported",
      content: { ...json(TracesAnswerSchema), ...protobuf("ExportTraceServiceResponse") },
    },
  },
});

export const LogsAnswerSchema = z.object({
  partialSuccess: z
    .object({ rejectedLogRecords: z.number().int(), errorMessage: z.string() })
    .optional()
    .meta({ description: "Unset when every GenAI log record was accepted (OTLP/HTTP)" }),
  pii_tags_dropped: PiiDropped,
});

export const sendLogs = apiRoute({
  method: "post",
  path: "/",
  access: "ingest",
  errors: [413, 503],
  tags: ["Ingest"],
  summary: "Send OTLP/HTTP logs (protobuf or JSON)",
  description:
    "An OpenTelemetry ExportLogsServiceRequest as binary protobuf or JSON (gzip allowed); " +
    "`gen_ai.evaluation.result` events become eval scores and `driftwatch.feedback` events " +
    "thumbs of the interaction of their span id; other log records are ignored. The answer " +
    "(and an error's google.rpc.Status) comes in the request's encoding.",
  request: {
    query: IngestQuery,
    body: {
      content: {
        ...json(ExportLogsServiceRequestSchema),
        ...protobuf("ExportLogsServiceRequest"),
      },
    },
  },
  responses: {
    200: {
      description: "Exported",
      content: { ...json(LogsAnswerSchema), ...protobuf("ExportLogsServiceResponse") },
    },
  },
});
