// OTLP/HTTP JSON trace exports → v1 interaction events. GenAI spans are mapped, other spans
// are counted as ignored, and a GenAI span that cannot be mapped is rejected by its index.
import type { z } from "../zod";
import { type InteractionEventInput, InteractionEventSchema } from "./event-schema";
import { isPlainlyValidInteraction } from "./fast-validate";
import { MAX_JSON_DEPTH, pathDeeperThan } from "./json-depth";
import { hasGenAiAttributes, type ResourceInfo, resourceInfo, spanToEvent } from "./otlp-map";
import {
  attributeMap,
  ExportTraceServiceRequestSchema,
  type OtlpSpan,
  ResourceSchema,
  SpanSchema,
} from "./otlp-schema";

/** The body is not an ExportTraceServiceRequest at all (not an object, wrong containers). */
export class OtlpShapeError extends Error {
  override readonly name = "OtlpShapeError";
}

export interface OtlpRejection {
  /** Position of the span in document order, counted across all resourceSpans and scopes. */
  spanIndex: number;
  message: string;
}

export interface OtlpMapResult {
  events: InteractionEventInput[];
  rejected: OtlpRejection[];
  /** Spans without any `gen_ai.*` or `llm.*` attribute (HTTP, DB, framework spans…). */
  ignored: number;
}

export function formatIssues(error: z.ZodError, prefix: string): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join("; ")} (and ${more} more)` : shown.join("; ");
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * How far a body is checked. `json`: every span and resource against the lenient schemas.
 * `decoded`: built by the protobuf decoder (otlp-protobuf.ts), whose output has the schemas'
 * shape by construction, so that pass is skipped; the mapped events are checked either way.
 */
export type OtlpSource = "json" | "decoded";

export function resolveResource(raw: unknown, source: OtlpSource): Resolved<ResourceInfo> {
  if (source === "decoded") {
    const { attributes } = raw as z.infer<typeof ResourceSchema>;
    return { ok: true, value: resourceInfo(attributeMap(attributes)) };
  }
  const parsed = ResourceSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, message: formatIssues(parsed.error, "resource") };
  return { ok: true, value: resourceInfo(attributeMap(parsed.data.attributes)) };
}

/** More attributes or events on one span than any SDK sends by default (128) many times over. */
export const MAX_SPAN_ATTRIBUTES = 1_024;
export const MAX_SPAN_EVENTS = 1_024;

/** Why a raw span is refused before any parsing, if its lists are too long. */
function oversized(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const attributes = "attributes" in raw ? raw.attributes : undefined;
  if (Array.isArray(attributes) && attributes.length > MAX_SPAN_ATTRIBUTES) {
    return `${attributes.length} attributes; at most ${MAX_SPAN_ATTRIBUTES} per span`;
  }
  const events = "events" in raw ? raw.events : undefined;
  if (Array.isArray(events) && events.length > MAX_SPAN_EVENTS) {
    return `${events.length} span events; at most ${MAX_SPAN_EVENTS} per span`;
  }
  return undefined;
}

function mapSpan(
  raw: unknown,
  resource: Resolved<ResourceInfo>,
  source: OtlpSource,
): Resolved<InteractionEventInput> {
  if (!resource.ok) return resource;
  const tooLong = oversized(raw);
  if (tooLong !== undefined) return { ok: false, message: tooLong };
  let span: OtlpSpan;
  if (source === "decoded") span = raw as OtlpSpan;
  else {
    const parsed = SpanSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, message: formatIssues(parsed.error, "") };
    span = parsed.data;
  }
  const mapped = spanToEvent(span, resource.value);
  if (!mapped.ok) return mapped;
  // A safety net: whatever the span carried, only contract-valid events leave this module
  // (the fast path first, as for /v1/events: zod compiles no validators in Workers).
  if (isPlainlyValidInteraction(mapped.event)) return { ok: true, value: mapped.event };
  const checked = InteractionEventSchema.safeParse(mapped.event);
  if (!checked.success) {
    return { ok: false, message: `mapped event is invalid: ${formatIssues(checked.error, "")}` };
  }
  return { ok: true, value: checked.data };
}

/**
 * Maps an already JSON-parsed OTLP ExportTraceServiceRequest. Unknown OTLP fields are
 * ignored; throws OtlpShapeError when the body's top-level shape is wrong or it nests
 * deeper than MAX_JSON_DEPTH.
 */
export function mapOtlpTraces(body: unknown, source: OtlpSource = "json"): OtlpMapResult {
  const deep = pathDeeperThan(body, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    throw new OtlpShapeError(`values nest deeper than ${MAX_JSON_DEPTH} levels (at ${deep})`);
  }
  const request = ExportTraceServiceRequestSchema.safeParse(body);
  if (!request.success) {
    throw new OtlpShapeError(
      `not an OTLP ExportTraceServiceRequest: ${formatIssues(request.error, "")}`,
    );
  }
  const result: OtlpMapResult = { events: [], rejected: [], ignored: 0 };
  let spanIndex = 0;
  for (const resourceSpans of request.data.resourceSpans ?? []) {
    let resource: Resolved<ResourceInfo> | undefined;
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const raw of scopeSpans.spans ?? []) {
        const index = spanIndex++;
        if (!hasGenAiAttributes(raw)) {
          result.ignored++;
          continue;
        }
        resource ??= resolveResource(resourceSpans.resource, source);
        const mapped = mapSpan(raw, resource, source);
        if (mapped.ok) result.events.push(mapped.value);
        else result.rejected.push({ spanIndex: index, message: mapped.message });
      }
    }
  }
  return result;
}
