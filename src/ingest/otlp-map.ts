// Maps one GenAI span to a v1 interaction event: OpenTelemetry GenAI semantic conventions
// (current and deprecated names) and OpenInference `llm.*` attributes.
import type { InteractionEventInput, Status } from "./event-schema";
import { collectEvals } from "./otlp-evals";
import { type Attrs, attributeMap, normalizeOtlpId, type OtlpSpan } from "./otlp-schema";
import { asCount, asLabel, firstElement, firstOf, secondsToMs, slugify } from "./otlp-values";

/** Attribute names in order of preference: current convention, deprecated, OpenInference. */
const KEYS = {
  model: ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name"],
  provider: ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"],
  inputTokens: [
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.token_count.prompt",
  ],
  outputTokens: [
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.completion",
  ],
  finishReasons: ["gen_ai.response.finish_reasons"],
  ttft: ["gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token"],
  promptVersion: [
    "gen_ai.prompt.version",
    "driftwatch.prompt_version",
    "llm.prompt_template.version",
  ],
  session: ["gen_ai.conversation.id", "session.id"],
  user: ["user.id", "enduser.id"],
  environment: ["deployment.environment.name", "deployment.environment"],
} as const;

/** What a span inherits from its resource. */
export interface ResourceInfo {
  deployment: string | undefined;
  environment: string | undefined;
  release: string | undefined;
}

export function resourceInfo(attrs: Attrs): ResourceInfo {
  const service = attrs.get("service.name");
  // SDKs default service.name to "unknown_service[:process]" when it is not configured.
  const named = typeof service === "string" && !service.startsWith("unknown_service");
  return {
    deployment: named ? slugify(service) : undefined,
    environment: slugify(firstOf(attrs, KEYS.environment)),
    release: asLabel(attrs.get("service.version")),
  };
}

const GENAI_PREFIXES = ["gen_ai.", "llm."];

/** True when the raw span has any `gen_ai.*` or `llm.*` attribute; checked before validation. */
export function hasGenAiAttributes(span: unknown): boolean {
  if (typeof span !== "object" || span === null || !("attributes" in span)) return false;
  const attrs = span.attributes;
  if (!Array.isArray(attrs)) return false;
  return attrs.some((kv: unknown) => {
    if (typeof kv !== "object" || kv === null || !("key" in kv)) return false;
    const key = kv.key;
    return typeof key === "string" && GENAI_PREFIXES.some((p) => key.startsWith(p));
  });
}

export type SpanResult =
  | { ok: true; event: InteractionEventInput }
  | { ok: false; message: string };

function isErrorStatus(code: number | string | undefined): boolean {
  return code === 2 || code === "2" || code === "STATUS_CODE_ERROR";
}

export function spanToEvent(span: OtlpSpan, resource: ResourceInfo): SpanResult {
  if (resource.deployment === undefined) {
    return {
      ok: false,
      message:
        "resource attribute service.name is missing; set it (e.g. OTEL_SERVICE_NAME) to the deployment slug",
    };
  }
  const id = normalizeOtlpId(span.spanId, 8);
  if (id === undefined) {
    return {
      ok: false,
      message: "spanId must be 16 hex characters or base64 of 8 bytes, not all zeros",
    };
  }
  const start = BigInt(span.startTimeUnixNano);
  if (start === 0n) return { ok: false, message: "startTimeUnixNano is missing or zero" };
  const end = span.endTimeUnixNano === undefined ? undefined : BigInt(span.endTimeUnixNano);

  const a = attributeMap(span.attributes);
  const finishReason = asLabel(firstElement(firstOf(a, KEYS.finishReasons)));
  const error = isErrorStatus(span.status?.code);
  let status: Status = "ok";
  if (error) status = "error";
  else if (finishReason === "content_filter") status = "filtered";

  const event: InteractionEventInput = {
    type: "interaction",
    id,
    deployment: resource.deployment,
    environment: resource.environment,
    release: resource.release,
    ts: Number(start / 1_000_000n),
    latency_ms: end !== undefined && end >= start ? Number(end - start) / 1e6 : undefined,
    ttft_ms: secondsToMs(firstOf(a, KEYS.ttft)),
    model: asLabel(firstOf(a, KEYS.model)),
    provider: asLabel(firstOf(a, KEYS.provider)),
    prompt_version: asLabel(firstOf(a, KEYS.promptVersion)),
    input_tokens: asCount(firstOf(a, KEYS.inputTokens)),
    output_tokens: asCount(firstOf(a, KEYS.outputTokens)),
    finish_reason: finishReason,
    status,
    error_type: error ? asLabel(a.get("error.type")) : undefined,
    evals: collectEvals(
      a,
      (span.events ?? []).map((e) => attributeMap(e.attributes)),
    ),
    session: asLabel(firstOf(a, KEYS.session), 256),
    user: asLabel(firstOf(a, KEYS.user), 256),
  };
  return { ok: true, event: withoutUndefined(event) };
}

function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
}
