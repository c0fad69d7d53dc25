// Maps one GenAI span to a v1 interaction event: OpenTelemetry GenAI semantic conventions
// (current and deprecated names), OpenLLMetry's, OpenInference `llm.*` attributes and
// Cloudflare AI Gateway's. docs/sdk.md has the table, one row per attribute.
import type { InteractionEventInput, Status } from "./event-schema";
import { collectEvals } from "./otlp-evals";
import { FEEDBACK_EVENT, feedbackOf } from "./otlp-feedback";
import { type Attrs, attributeMap, normalizeOtlpId, type OtlpSpan } from "./otlp-schema";
import {
  asCount,
  asLabel,
  asNumber,
  firstElement,
  firstOf,
  secondsToMs,
  slugify,
} from "./otlp-values";

/**
 * Attribute names in order of preference: current convention, deprecated, OpenLLMetry,
 * OpenInference, AI Gateway.
 */
const KEYS = {
  model: ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name"],
  provider: [
    "gen_ai.provider.name",
    "gen_ai.system",
    "llm.provider",
    "llm.system",
    "gen_ai.model.provider",
  ],
  inputTokens: [
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.usage.prompt_tokens",
    "llm.token_count.prompt",
  ],
  outputTokens: [
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.usage.completion_tokens",
    "llm.token_count.completion",
  ],
  totalTokens: ["gen_ai.usage.total_tokens", "llm.usage.total_tokens", "llm.token_count.total"],
  cacheRead: [
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "llm.token_count.prompt_details.cache_read",
  ],
  cacheCreation: [
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "llm.token_count.prompt_details.cache_write",
  ],
  reasoning: [
    "gen_ai.usage.reasoning.output_tokens",
    "gen_ai.usage.reasoning_tokens",
    "llm.usage.reasoning_tokens",
    "llm.token_count.completion_details.reasoning",
  ],
  cost: ["gen_ai.usage.cost"],
  finishReasons: ["gen_ai.response.finish_reasons"],
  ttft: ["gen_ai.response.time_to_first_chunk", "gen_ai.server.time_to_first_token"],
  promptVersion: [
    "gen_ai.prompt.version",
    "driftwatch.prompt_version",
    "llm.prompt_template.version",
  ],
  session: ["gen_ai.conversation.id", "session.id", "traceloop.association.properties.session_id"],
  user: ["user.id", "enduser.id", "traceloop.association.properties.user_id"],
  environment: ["deployment.environment.name", "deployment.environment"],
} as const;

/** What a span inherits from its resource. */
export interface ResourceInfo {
  deployment: string | undefined;
  environment: string | undefined;
  release: string | undefined;
  /** A prompt version set for the whole process (OTEL_RESOURCE_ATTRIBUTES); spans override it. */
  promptVersion: string | undefined;
}

export function resourceInfo(attrs: Attrs): ResourceInfo {
  const service = attrs.get("service.name");
  // SDKs default service.name to "unknown_service[:process]" when it is not configured.
  const named = typeof service === "string" && !service.startsWith("unknown_service");
  return {
    deployment: named ? slugify(service) : undefined,
    environment: slugify(firstOf(attrs, KEYS.environment)),
    release: asLabel(attrs.get("service.version")),
    promptVersion: asLabel(firstOf(attrs, KEYS.promptVersion)),
  };
}

const GENAI_PREFIXES = ["gen_ai.", "llm."];

/**
 * An OpenInference span that is not an LLM call (CHAIN, AGENT, TOOL, RETRIEVER…): its
 * `llm.*` attributes, if any, describe calls that have spans of their own.
 */
function isNonLlmOpenInference(key: string, kv: object): boolean {
  if (key !== "openinference.span.kind" || !("value" in kv)) return false;
  const value = kv.value;
  if (typeof value !== "object" || value === null || !("stringValue" in value)) return false;
  return typeof value.stringValue === "string" && value.stringValue.toUpperCase() !== "LLM";
}

/**
 * True when the raw span has any `gen_ai.*` or `llm.*` attribute and is not an OpenInference
 * span of another kind than LLM; checked before validation.
 */
export function hasGenAiAttributes(span: unknown): boolean {
  if (typeof span !== "object" || span === null || !("attributes" in span)) return false;
  const attrs = span.attributes;
  if (!Array.isArray(attrs)) return false;
  let genAi = false;
  for (const kv of attrs as unknown[]) {
    if (typeof kv !== "object" || kv === null || !("key" in kv)) continue;
    const key = kv.key;
    if (typeof key !== "string") continue;
    if (isNonLlmOpenInference(key, kv)) return false;
    genAi ||= GENAI_PREFIXES.some((p) => key.startsWith(p));
  }
  return genAi;
}

export type SpanResult =
  | { ok: true; event: InteractionEventInput }
  | { ok: false; message: string };

function isErrorStatus(code: number | string | undefined): boolean {
  return code === 2 || code === "2" || code === "STATUS_CODE_ERROR";
}

export function spanToEvent(span: OtlpSpan, resource: ResourceInfo): SpanResult {
  const a = attributeMap(span.attributes);
  // Senders that cannot set the resource (Cloudflare AI Gateway: request metadata becomes
  // span attributes) name the deployment on the span.
  const deployment = slugify(a.get("driftwatch.deployment")) ?? resource.deployment;
  if (deployment === undefined) {
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

  const outputTokens = asCount(firstOf(a, KEYS.outputTokens));
  const cost = asNumber(firstOf(a, KEYS.cost));
  const finishReason = asLabel(firstElement(firstOf(a, KEYS.finishReasons)));
  const error = isErrorStatus(span.status?.code);
  const feedbackEvent = span.events?.find((e) => e.name === FEEDBACK_EVENT);
  const thumbs = feedbackEvent && feedbackOf(attributeMap(feedbackEvent.attributes));
  let status: Status = "ok";
  if (error) status = "error";
  else if (finishReason === "content_filter") status = "filtered";

  const event: InteractionEventInput = {
    type: "interaction",
    id,
    deployment,
    environment: slugify(a.get("driftwatch.environment")) ?? resource.environment,
    release: resource.release,
    ts: Number(start / 1_000_000n),
    latency_ms: end !== undefined && end >= start ? Number(end - start) / 1e6 : undefined,
    ttft_ms: secondsToMs(firstOf(a, KEYS.ttft)),
    model: asLabel(firstOf(a, KEYS.model)),
    provider: asLabel(firstOf(a, KEYS.provider)),
    prompt_version: asLabel(firstOf(a, KEYS.promptVersion)) ?? resource.promptVersion,
    input_tokens: inputTokens(a, outputTokens),
    output_tokens: outputTokens,
    cache_read_input_tokens: asCount(firstOf(a, KEYS.cacheRead)),
    cache_creation_input_tokens: asCount(firstOf(a, KEYS.cacheCreation)),
    reasoning_output_tokens: asCount(firstOf(a, KEYS.reasoning)),
    // A cost the sender computed (AI Gateway's estimate) wins over the price table.
    cost_usd: cost !== undefined && cost >= 0 ? cost : undefined,
    finish_reason: finishReason,
    status,
    error_type: error ? asLabel(a.get("error.type")) : undefined,
    evals: collectEvals(
      a,
      (span.events ?? []).map((e) => attributeMap(e.attributes)),
    ),
    feedback: thumbs?.feedback,
    rating: thumbs?.rating,
    session: asLabel(firstOf(a, KEYS.session), 256),
    user: asLabel(firstOf(a, KEYS.user), 256),
  };
  return { ok: true, event: withoutUndefined(event) };
}

/** Input tokens, or what a total leaves after the output (OpenInference sends all three). */
function inputTokens(a: Attrs, output: number | undefined): number | undefined {
  const input = asCount(firstOf(a, KEYS.inputTokens));
  if (input !== undefined) return input;
  const total = asCount(firstOf(a, KEYS.totalTokens));
  return total !== undefined && output !== undefined && total >= output
    ? total - output
    : undefined;
}

function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key];
  return o;
}
