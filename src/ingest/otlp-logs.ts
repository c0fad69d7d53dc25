// OTLP/HTTP log exports → late v1 events. Two GenAI events are read (docs/opentelemetry.md):
// `gen_ai.evaluation.result` becomes an eval event and `driftwatch.feedback` a feedback event,
// both on the interaction of the record's span id (the id /v1/traces gives that span's event).
// Other log records are counted as ignored; a GenAI record that cannot be mapped is rejected.
import { z } from "../zod";
import type { EvalEventInput, FeedbackEventInput } from "./event-schema";
import { MAX_JSON_DEPTH, pathDeeperThan } from "./json-depth";
import {
  formatIssues,
  OtlpShapeError,
  type OtlpSource,
  type Resolved,
  resolveResource,
} from "./otlp";
import { sanitizeEvalName } from "./otlp-evals";
import { EVALUATION_EVENT, FEEDBACK_EVENT, feedbackOf } from "./otlp-feedback";
import type { ResourceInfo } from "./otlp-map";
import { AttributesSchema, type Attrs, attributeMap, normalizeOtlpId } from "./otlp-schema";
import { asNumber, slugify } from "./otlp-values";

/** Only the containers are checked here; records are read one by one. */
export const ExportLogsServiceRequestSchema = z.looseObject({
  resourceLogs: z
    .array(
      z.looseObject({
        resource: z.unknown().optional(),
        scopeLogs: z
          .array(z.looseObject({ logRecords: z.array(z.unknown()).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

const UnixNano = z.union([z.number().nonnegative(), z.string().regex(/^\d{1,20}$/)]).optional();

const LogRecordSchema = z.looseObject({
  timeUnixNano: UnixNano,
  observedTimeUnixNano: UnixNano,
  eventName: z.string().optional(),
  spanId: z.string().optional(),
  attributes: AttributesSchema,
});
type OtlpLogRecord = z.infer<typeof LogRecordSchema>;

export type LateEvent = EvalEventInput | FeedbackEventInput;

export interface OtlpLogsResult {
  events: LateEvent[];
  /** The record index (document order) of each event. */
  recordIndex: number[];
  rejected: { recordIndex: number; message: string }[];
  /** Log records that are neither GenAI event (application logs…). */
  ignored: number;
}

/** The record's event name: the `event_name` field, else the older `event.name` attribute. */
function eventNameOf(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  if ("eventName" in raw && typeof raw.eventName === "string" && raw.eventName !== "") {
    return raw.eventName;
  }
  if (!("attributes" in raw) || !Array.isArray(raw.attributes)) return undefined;
  for (const kv of raw.attributes as unknown[]) {
    if (typeof kv !== "object" || kv === null || !("key" in kv) || kv.key !== "event.name") {
      continue;
    }
    const value = "value" in kv ? kv.value : undefined;
    if (typeof value === "object" && value !== null && "stringValue" in value) {
      return typeof value.stringValue === "string" ? value.stringValue : undefined;
    }
  }
  return undefined;
}

/** Milliseconds of the record's time, else of its observed time; undefined: the server's. */
function tsOf(r: OtlpLogRecord): number | undefined {
  for (const t of [r.timeUnixNano, r.observedTimeUnixNano]) {
    const n = t === undefined ? 0n : BigInt(t);
    if (n > 0n) return Number(n / 1_000_000n);
  }
  return undefined;
}

/** What both events take from the record: the interaction, where it lands, and when. */
type RecordBase = Pick<EvalEventInput, "ref" | "deployment" | "environment" | "ts">;

function evalEvent(a: Attrs, base: RecordBase): Resolved<LateEvent> {
  const rawName = a.get("gen_ai.evaluation.name");
  const name = typeof rawName === "string" ? sanitizeEvalName(rawName) : undefined;
  if (name === undefined) return { ok: false, message: "gen_ai.evaluation.name is missing" };
  const score = asNumber(a.get("gen_ai.evaluation.score.value"));
  if (score === undefined) {
    return { ok: false, message: "gen_ai.evaluation.score.value is missing or not a number" };
  }
  return { ok: true, value: { ...base, type: "eval", evals: { [name]: score } } };
}

function mapRecord(
  raw: unknown,
  name: string,
  resource: Resolved<ResourceInfo>,
  source: OtlpSource,
): Resolved<LateEvent> {
  if (!resource.ok) return resource;
  let record: OtlpLogRecord;
  if (source === "decoded") record = raw as OtlpLogRecord;
  else {
    const parsed = LogRecordSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, message: formatIssues(parsed.error, "") };
    record = parsed.data;
  }
  const a = attributeMap(record.attributes);
  const deployment = slugify(a.get("driftwatch.deployment")) ?? resource.value.deployment;
  if (deployment === undefined) {
    return {
      ok: false,
      message: "resource attribute service.name is missing; set it to the deployment slug",
    };
  }
  const ref = record.spanId === undefined ? undefined : normalizeOtlpId(record.spanId, 8);
  if (ref === undefined) {
    return { ok: false, message: "spanId must name the evaluated span (16 hex characters)" };
  }
  const environment = slugify(a.get("driftwatch.environment")) ?? resource.value.environment;
  const ts = tsOf(record);
  const base: RecordBase = {
    ref,
    deployment,
    ...(environment === undefined ? {} : { environment }),
    ...(ts === undefined ? {} : { ts }),
  };
  if (name === EVALUATION_EVENT) return evalEvent(a, base);
  const thumbs = feedbackOf(a);
  if (thumbs === undefined) {
    return { ok: false, message: "driftwatch.feedback.value must be 1, 0 or -1 (or up/down)" };
  }
  return { ok: true, value: { ...base, type: "feedback", ...thumbs } };
}

/**
 * Maps an OTLP ExportLogsServiceRequest (JSON-parsed, or decoded: see OtlpSource). Throws
 * OtlpShapeError when the top-level shape is wrong or it nests deeper than MAX_JSON_DEPTH.
 */
export function mapOtlpLogs(body: unknown, source: OtlpSource = "json"): OtlpLogsResult {
  const deep = pathDeeperThan(body, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw new OtlpShapeError(`values nest deeper than ${MAX_JSON_DEPTH} levels (at ${deep})`);
  }
  const request = ExportLogsServiceRequestSchema.safeParse(body);
  if (!request.success) {
    throw new OtlpShapeError(
      `not an OTLP ExportLogsServiceRequest: ${formatIssues(request.error, "")}`,
    );
  }
  const result: OtlpLogsResult = { events: [], recordIndex: [], rejected: [], ignored: 0 };
  let recordIndex = 0;
  for (const resourceLogs of request.data.resourceLogs ?? []) {
    let resource: Resolved<ResourceInfo> | undefined;
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      for (const raw of scopeLogs.logRecords ?? []) {
        const index = recordIndex++;
        const name = eventNameOf(raw);
        if (name !== EVALUATION_EVENT && name !== FEEDBACK_EVENT) {
          result.ignored++;
          continue;
        }
        resource ??= resolveResource(resourceLogs.resource, source);
        const mapped = mapRecord(raw, name, resource, source);
        if (mapped.ok) {
          result.events.push(mapped.value);
          result.recordIndex.push(index);
        } else result.rejected.push({ recordIndex: index, message: mapped.message });
      }
    }
  }
  return result;
}
