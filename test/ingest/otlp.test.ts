import { describe, expect, it } from "vitest";
import { InteractionEventSchema } from "../../src/ingest/event-schema";
import { mapOtlpTraces, OtlpShapeError } from "../../src/ingest/otlp";
import { normalizeOtlpId } from "../../src/ingest/otlp-schema";
import { attrs, dbl, int, type OtlpValue, str } from "../otlp-values";

const strs = (...values: string[]): OtlpValue => ({ arrayValue: { values: values.map(str) } });

const START = "1763769600000000000"; // 2025-11-22T00:00:00Z in nanoseconds
const END = "1763769601234567890"; // 1234.56789 ms later

function span(spanId: string, attributes: Record<string, OtlpValue>, extra: object = {}) {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId,
    parentSpanId: "",
    name: "chat",
    kind: 3,
    startTimeUnixNano: START,
    endTimeUnixNano: END,
    attributes: attrs(attributes),
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: {},
    flags: 257,
    ...extra,
  };
}

function request(resources: { resource: Record<string, OtlpValue>; spans: unknown[] }[]) {
  return {
    resourceSpans: resources.map(({ resource, spans }) => ({
      resource: { attributes: attrs(resource), droppedAttributesCount: 0 },
      scopeSpans: [
        {
          scope: { name: "opentelemetry.instrumentation.openai_v2", version: "2.1b0" },
          spans,
          schemaUrl: "https://opentelemetry.io/schemas/1.28.0",
        },
      ],
      schemaUrl: "https://opentelemetry.io/schemas/1.28.0",
    })),
  };
}

const SERVICE = {
  "service.name": str("Support Bot"),
  "service.version": str("2025.11.3"),
  "deployment.environment.name": str("Production"),
  "telemetry.sdk.language": str("python"),
};

/** Maps and checks every event against the strict v1 contract. */
function map(body: unknown) {
  const result = mapOtlpTraces(body);
  for (const event of result.events) InteractionEventSchema.parse(event);
  return result;
}

describe("mapOtlpTraces with current GenAI semantic conventions", () => {
  it("maps a chat span with usage, finish reasons, ttft and evaluation results", () => {
    const chat = span(
      "5FB397BE34D26B51",
      {
        "gen_ai.operation.name": str("chat"),
        "gen_ai.provider.name": str("openai"),
        "gen_ai.request.model": str("gpt-4o-mini"),
        "gen_ai.response.model": str("gpt-4o-mini-2024-07-18"),
        "gen_ai.response.id": str("chatcmpl-AbC123"),
        "gen_ai.usage.input_tokens": int("1200"),
        "gen_ai.usage.output_tokens": int(350),
        "gen_ai.response.finish_reasons": strs("stop"),
        "gen_ai.response.time_to_first_chunk": dbl(0.25),
        "gen_ai.conversation.id": str("conv_42"),
        "gen_ai.evaluation.groundedness.score": dbl(0.9),
        "gen_ai.evaluation.toxicity": dbl("0.01"),
        "driftwatch.prompt_version": str("v14"),
        "server.address": str("api.openai.com"),
        "user.id": str("user-7"),
      },
      {
        events: [
          {
            timeUnixNano: END,
            name: "gen_ai.evaluation.result",
            attributes: attrs({
              "gen_ai.evaluation.name": str("Relevance"),
              "gen_ai.evaluation.score.value": dbl(0.82),
              "gen_ai.evaluation.score.label": str("relevant"),
            }),
          },
        ],
      },
    );
    const result = map(request([{ resource: SERVICE, spans: [chat] }]));
    expect(result).toEqual({
      events: [
        {
          type: "interaction",
          id: "5fb397be34d26b51",
          deployment: "support-bot",
          environment: "production",
          release: "2025.11.3",
          ts: 1763769600000,
          latency_ms: 1234.56789,
          ttft_ms: 250,
          model: "gpt-4o-mini-2024-07-18",
          provider: "openai",
          prompt_version: "v14",
          input_tokens: 1200,
          output_tokens: 350,
          finish_reason: "stop",
          status: "ok",
          evals: { Relevance: 0.82, groundedness: 0.9, toxicity: 0.01 },
          session: "conv_42",
          user: "user-7",
        },
      ],
      rejected: [],
      ignored: 0,
    });
  });

  it("falls back to the request model when the response model is absent or empty", () => {
    const s = span("b7ad6b7169203331", {
      "gen_ai.response.model": str(""),
      "gen_ai.request.model": str("gemini-2.5-flash"),
      "gen_ai.provider.name": str("gcp.gemini"),
    });
    const [event] = map(request([{ resource: SERVICE, spans: [s] }])).events;
    expect(event?.model).toBe("gemini-2.5-flash");
    expect(event?.provider).toBe("gcp.gemini");
  });

  it("ignores attributes with value kinds it does not decode", () => {
    const s = span("b7ad6b7169203331", {
      "gen_ai.request.model": str("gpt-4o"),
      "gen_ai.tool.definitions": { kvlistValue: { values: [{ key: "a", value: str("b") }] } },
    });
    const result = map(request([{ resource: SERVICE, spans: [s] }]));
    expect(result.events).toHaveLength(1);
    expect(result.rejected).toEqual([]);
  });
});

describe("mapOtlpTraces with deprecated and OpenInference names", () => {
  it("reads gen_ai.system, prompt/completion tokens and deployment.environment", () => {
    const s = span("X7OXvjTSa1E=", {
      "gen_ai.system": str("anthropic"),
      "gen_ai.request.model": str("claude-3-5-sonnet-20241022"),
      "gen_ai.usage.prompt_tokens": int("812"),
      "gen_ai.usage.completion_tokens": int("96"),
      "gen_ai.response.finish_reasons": str("end_turn"),
      "gen_ai.prompt.version": int(7),
    });
    s.traceId = "CvdlGRbNQ92ESOshHIAxnA==";
    const resource = {
      "service.name": str("billing_assistant"),
      "deployment.environment": str("Staging EU"),
    };
    const [event] = map(request([{ resource, spans: [s] }])).events;
    expect(event).toMatchObject({
      id: "5fb397be34d26b51",
      deployment: "billing_assistant",
      environment: "staging-eu",
      provider: "anthropic",
      model: "claude-3-5-sonnet-20241022",
      input_tokens: 812,
      output_tokens: 96,
      finish_reason: "end_turn",
      prompt_version: "7",
    });
    expect(event?.release).toBeUndefined();
  });

  it("reads OpenInference llm.* attributes", () => {
    const s = span("b7ad6b7169203331", {
      "openinference.span.kind": str("LLM"),
      "llm.model_name": str("gpt-4.1-2025-04-14"),
      "llm.provider": str("openai"),
      "llm.system": str("openai"),
      "llm.token_count.prompt": int(10),
      "llm.token_count.completion": int(20),
      "llm.token_count.total": int(30),
      "llm.prompt_template.version": str("onboarding-v3"),
      "session.id": str("sess-1"),
    });
    const [event] = map(request([{ resource: SERVICE, spans: [s] }])).events;
    expect(event).toMatchObject({
      model: "gpt-4.1-2025-04-14",
      provider: "openai",
      input_tokens: 10,
      output_tokens: 20,
      prompt_version: "onboarding-v3",
      session: "sess-1",
      status: "ok",
    });
  });

  it("reads cache and reasoning tokens under current, OpenLLMetry and OpenInference names", () => {
    const current = span("b7ad6b7169203332", {
      "gen_ai.request.model": str("claude-sonnet-4-5"),
      "gen_ai.usage.input_tokens": int(1000),
      "gen_ai.usage.output_tokens": int(300),
      "gen_ai.usage.cache_read.input_tokens": int(600),
      "gen_ai.usage.cache_creation.input_tokens": int(200),
      "gen_ai.usage.reasoning.output_tokens": int(120),
      "gen_ai.conversation.id": str("conv-7"),
    });
    const openllmetry = span("b7ad6b7169203333", {
      "gen_ai.system": str("Anthropic"),
      "gen_ai.request.model": str("claude-sonnet-4-5"),
      "gen_ai.usage.prompt_tokens": int(50),
      "gen_ai.usage.cache_read_input_tokens": int(10),
      "gen_ai.usage.cache_creation_input_tokens": int(5),
      "llm.usage.total_tokens": int(70),
      "gen_ai.usage.reasoning_tokens": int(3),
      "traceloop.association.properties.session_id": str("sess-2"),
    });
    const openinference = span("b7ad6b7169203334", {
      "openinference.span.kind": str("LLM"),
      "llm.model_name": str("o3"),
      "llm.token_count.total": int(90),
      "llm.token_count.completion": int(40),
      "llm.token_count.prompt_details.cache_read": int(30),
      "llm.token_count.prompt_details.cache_write": int(7),
      "llm.token_count.completion_details.reasoning": int(25),
    });
    const events = map(
      request([{ resource: SERVICE, spans: [current, openllmetry, openinference] }]),
    ).events;
    expect(events[0]).toMatchObject({
      input_tokens: 1000,
      output_tokens: 300,
      cache_read_input_tokens: 600,
      cache_creation_input_tokens: 200,
      reasoning_output_tokens: 120,
      session: "conv-7",
    });
    expect(events[1]).toMatchObject({
      provider: "Anthropic",
      input_tokens: 50,
      cache_read_input_tokens: 10,
      cache_creation_input_tokens: 5,
      reasoning_output_tokens: 3,
      session: "sess-2",
    });
    // OpenInference's total without a prompt count: the input is what the output leaves.
    expect(events[2]).toMatchObject({
      model: "o3",
      input_tokens: 50,
      output_tokens: 40,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 7,
      reasoning_output_tokens: 25,
    });
  });

  it("takes the prompt version from the resource unless the span names its own", () => {
    const resource = { ...SERVICE, "driftwatch.prompt_version": str("v14") };
    const plain = span("b7ad6b7169203338", { "gen_ai.request.model": str("gpt-4o") });
    const own = span("b7ad6b7169203339", {
      "gen_ai.request.model": str("gpt-4o"),
      "gen_ai.prompt.version": str("v15"),
    });
    const events = map(request([{ resource, spans: [plain, own] }])).events;
    expect(events.map((e) => e.prompt_version)).toEqual(["v14", "v15"]);
  });

  it("ignores OpenInference spans of other kinds than LLM, whatever llm.* they carry", () => {
    const chain = span("b7ad6b7169203335", {
      "openinference.span.kind": str("CHAIN"),
      "llm.model_name": str("gpt-4o"),
    });
    const retriever = span("b7ad6b7169203336", { "openinference.span.kind": str("RETRIEVER") });
    const result = map(request([{ resource: SERVICE, spans: [chain, retriever] }]));
    expect(result).toMatchObject({ events: [], rejected: [], ignored: 2 });
  });

  it("maps a span shaped as Cloudflare AI Gateway exports it, named by request metadata", () => {
    // AI Gateway's attributes, and cf-aig-metadata keys as span attributes; no service.name.
    const gateway = span("b7ad6b7169203337", {
      "gen_ai.request.model": str("gpt-4o-mini"),
      "gen_ai.model.provider": str("openai"),
      "gen_ai.usage.input_tokens": int(1200),
      "gen_ai.usage.output_tokens": int(300),
      "gen_ai.prompt_json": str('[{"role":"user","content":"hi"}]'),
      "gen_ai.completion_json": str('{"role":"assistant","content":"hello"}'),
      "gen_ai.usage.cost": dbl(0.00036),
      "driftwatch.deployment": str("Support Bot"),
      "driftwatch.environment": str("staging"),
    });
    const result = map(request([{ resource: {}, spans: [gateway] }]));
    expect(result.rejected).toEqual([]);
    expect(result.events[0]).toMatchObject({
      deployment: "support-bot",
      environment: "staging",
      model: "gpt-4o-mini",
      provider: "openai",
      input_tokens: 1200,
      output_tokens: 300,
      cost_usd: 0.00036,
    });
  });

  it("prefers the current attribute name when both are present", () => {
    const s = span("b7ad6b7169203331", {
      "gen_ai.system": str("az.ai.openai"),
      "gen_ai.provider.name": str("azure.ai.openai"),
      "gen_ai.usage.prompt_tokens": int(1),
      "gen_ai.usage.input_tokens": int(2),
    });
    const [event] = map(request([{ resource: SERVICE, spans: [s] }])).events;
    expect(event).toMatchObject({ provider: "azure.ai.openai", input_tokens: 2 });
  });
});

describe("mapOtlpTraces status", () => {
  it("maps an ERROR status to error with error.type", () => {
    const s = span(
      "b7ad6b7169203331",
      { "gen_ai.request.model": str("gpt-4o"), "error.type": str("RateLimitError") },
      { status: { code: "STATUS_CODE_ERROR", message: "429 Too Many Requests" } },
    );
    const numeric = span(
      "5fb397be34d26b51",
      { "gen_ai.request.model": str("gpt-4o") },
      { status: { code: 2 } },
    );
    const { events } = map(request([{ resource: SERVICE, spans: [s, numeric] }]));
    expect(events[0]).toMatchObject({ status: "error", error_type: "RateLimitError" });
    expect(events[1]?.status).toBe("error");
    expect(events[1]?.error_type).toBeUndefined();
  });

  it("maps a content_filter finish reason to filtered, and OK/UNSET to ok", () => {
    const filtered = span("b7ad6b7169203331", {
      "gen_ai.request.model": str("gpt-4o"),
      "gen_ai.response.finish_reasons": strs("content_filter", "stop"),
    });
    const ok = span(
      "5fb397be34d26b51",
      { "gen_ai.request.model": str("gpt-4o"), "error.type": str("ignored-when-ok") },
      { status: { code: 1 } },
    );
    const { events } = map(request([{ resource: SERVICE, spans: [filtered, ok] }]));
    expect(events[0]).toMatchObject({ status: "filtered", finish_reason: "content_filter" });
    expect(events[1]?.status).toBe("ok");
    expect(events[1]?.error_type).toBeUndefined();
  });
});

describe("mapOtlpTraces span selection and rejection", () => {
  const http = span("1111111111111111", {
    "http.request.method": str("POST"),
    "url.full": str("https://api.openai.com/v1/chat/completions"),
  });

  it("ignores spans without gen_ai.* or llm.* attributes, even malformed ones", () => {
    const genai = span("b7ad6b7169203331", { "gen_ai.request.model": str("gpt-4o") });
    const result = map(
      request([{ resource: SERVICE, spans: [http, genai, { spanId: 5 }, "not a span"] }]),
    );
    expect(result.events).toHaveLength(1);
    expect(result.ignored).toBe(3);
    expect(result.rejected).toEqual([]);
  });

  it("rejects GenAI spans whose resource has no service.name, or only the SDK default", () => {
    const genai = span("b7ad6b7169203331", { "gen_ai.request.model": str("gpt-4o") });
    const result = map(
      request([
        { resource: { "telemetry.sdk.name": str("opentelemetry") }, spans: [http, genai] },
        { resource: { "service.name": str("unknown_service:python3") }, spans: [genai] },
      ]),
    );
    expect(result.events).toEqual([]);
    expect(result.ignored).toBe(1);
    expect(result.rejected.map((r) => r.spanIndex)).toEqual([1, 2]);
    for (const r of result.rejected) expect(r.message).toContain("service.name");
  });

  it("rejects malformed GenAI spans by document index and keeps their neighbours", () => {
    const good = span("b7ad6b7169203331", { "gen_ai.request.model": str("gpt-4o") });
    const badId = span("not-an-id", { "gen_ai.request.model": str("gpt-4o") });
    const { startTimeUnixNano: _, ...noStart } = span("5fb397be34d26b51", {
      "gen_ai.request.model": str("gpt-4o"),
    });
    const badTokens = span("5fb397be34d26b51", {
      "gen_ai.usage.input_tokens": { intValue: "12.5" },
    });
    const result = map(
      request([
        { resource: SERVICE, spans: [http, badId] },
        { resource: { "service.name": str("other") }, spans: [good, noStart, badTokens] },
      ]),
    );
    expect(result.events.map((e) => e.deployment)).toEqual(["other"]);
    expect(result.rejected.map((r) => r.spanIndex)).toEqual([1, 3, 4]);
    expect(result.rejected[0]?.message).toContain("spanId");
    expect(result.rejected[1]?.message).toContain("startTimeUnixNano");
    expect(result.rejected[2]?.message).toContain("intValue");
  });

  it("maps spans from several resourceSpans with their own deployment and release", () => {
    const a = span("b7ad6b7169203331", { "gen_ai.request.model": str("gpt-4o") });
    const b = span("5fb397be34d26b51", { "llm.model_name": str("claude-sonnet-4-5") });
    const result = map(
      request([
        { resource: SERVICE, spans: [a] },
        {
          resource: { "service.name": str("Search/Answerer"), "service.version": str("1.2.0") },
          spans: [http, b],
        },
      ]),
    );
    expect(result.events.map((e) => [e.deployment, e.environment, e.release])).toEqual([
      ["support-bot", "production", "2025.11.3"],
      ["search-answerer", undefined, "1.2.0"],
    ]);
    expect(result.ignored).toBe(1);
  });

  it("accepts an empty request and numeric nanosecond timestamps", () => {
    expect(map({})).toEqual({ events: [], rejected: [], ignored: 0 });
    const s = span(
      "b7ad6b7169203331",
      { "gen_ai.request.model": str("gpt-4o") },
      { startTimeUnixNano: 1763769600000000000, endTimeUnixNano: 1763769600500000000 },
    );
    const [event] = map(request([{ resource: SERVICE, spans: [s] }])).events;
    expect(event?.ts).toBe(1763769600000);
    expect(event?.latency_ms).toBeCloseTo(500, 3);
  });

  it("throws OtlpShapeError when the body is not an ExportTraceServiceRequest", () => {
    for (const body of [
      null,
      "traces",
      [],
      { resourceSpans: {} },
      { resourceSpans: [{ scopeSpans: 1 }] },
    ]) {
      expect(() => mapOtlpTraces(body)).toThrow(OtlpShapeError);
    }
  });
});

describe("mapOtlpTraces evals", () => {
  it("sanitises eval names and keeps at most 16", () => {
    const many: Record<string, OtlpValue> = { "gen_ai.request.model": str("gpt-4o") };
    for (let i = 0; i < 20; i++) many[`gen_ai.evaluation.judge_${i}`] = dbl(i / 20);
    many["gen_ai.evaluation.name"] = str(`answer quality ${"x".repeat(80)}`);
    many["gen_ai.evaluation.score.value"] = dbl(1);
    const [event] = map(
      request([{ resource: SERVICE, spans: [span("b7ad6b7169203331", many)] }]),
    ).events;
    const names = Object.keys(event?.evals ?? {});
    expect(names).toHaveLength(16);
    expect(names[0]).toBe(`answer_quality_${"x".repeat(49)}`);
    expect(names).not.toContain("score.value");
  });
});

describe("normalizeOtlpId", () => {
  it("accepts hex and base64 ids and rejects everything else", () => {
    expect(normalizeOtlpId("X7OXvjTSa1E=", 8)).toBe("5fb397be34d26b51");
    expect(normalizeOtlpId("X7OXvjTSa1E", 8)).toBe("5fb397be34d26b51");
    expect(normalizeOtlpId("CvdlGRbNQ92ESOshHIAxnA==", 16)).toBe(
      "0af7651916cd43dd8448eb211c80319c",
    );
    expect(normalizeOtlpId("0000000000000000", 8)).toBeUndefined();
    expect(normalizeOtlpId("5fb397be34d26b", 8)).toBeUndefined();
    expect(normalizeOtlpId("", 8)).toBeUndefined();
  });
});
