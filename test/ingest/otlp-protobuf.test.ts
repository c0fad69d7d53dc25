// Binary protobuf OTLP bodies decode into the same OTLP/JSON shape as JSON bodies, so both
// map to the same events; every malformed body is an OtlpShapeError naming why, never a crash.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_SPAN_ATTRIBUTES,
  MAX_SPAN_EVENTS,
  mapOtlpTraces,
  OtlpShapeError,
} from "../../src/ingest/otlp";
import { StatusSchema } from "../../src/ingest/otlp-pb/google/rpc/status_pb";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "../../src/ingest/otlp-pb/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import {
  type AnyValue,
  AnyValueSchema,
} from "../../src/ingest/otlp-pb/opentelemetry/proto/common/v1/common_pb";
import {
  decodeTraceRequest,
  encodeErrorStatus,
  encodeTraceResponse,
} from "../../src/ingest/otlp-protobuf";
import { encodeTraces } from "../otlp-encode";
import { attrs, type OtlpValue, str } from "../otlp-values";

const START = "1763769600000000000";
const END = "1763769601234567890";

function span(spanId: string, attributes: Record<string, OtlpValue>, extra: object = {}) {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId,
    name: "chat",
    kind: 3,
    startTimeUnixNano: START,
    endTimeUnixNano: END,
    attributes: attrs(attributes),
    ...extra,
  };
}

const exportOf = (spans: unknown[], service = "support-bot") => ({
  resourceSpans: [
    {
      resource: { attributes: attrs({ "service.name": str(service) }) },
      scopeSpans: [{ spans }],
    },
  ],
});

const chat = exportOf([
  span("00f067aa0ba902b7", {
    "gen_ai.provider.name": str("openai"),
    "gen_ai.request.model": str("gpt-4o-mini"),
    "gen_ai.usage.input_tokens": { intValue: "1200" },
    "gen_ai.usage.output_tokens": { intValue: 350 },
    "gen_ai.response.finish_reasons": { arrayValue: { values: [str("stop")] } },
    "gen_ai.response.time_to_first_chunk": { doubleValue: 0.25 },
    "gen_ai.evaluation.relevance": { doubleValue: 0.75 },
  }),
  span(
    "00f067aa0ba902b8",
    { "gen_ai.request.model": str("gpt-4o-mini") },
    {
      status: { code: 2, message: "boom" },
      events: [
        {
          name: "gen_ai.evaluation.result",
          attributes: attrs({
            "gen_ai.evaluation.name": str("faithfulness"),
            "gen_ai.evaluation.score.value": { doubleValue: 0.5 },
          }),
        },
      ],
    },
  ),
  span("00f067aa0ba902b9", { "http.request.method": str("GET") }),
]);

const readError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OtlpShapeError);
    return (err as Error).message;
  }
  throw new Error("expected an OtlpShapeError");
};

/** AnyValue nested `depth` arrays deep, encoded by hand-built messages (not bytes). */
function nested(depth: number): AnyValue {
  let v = create(AnyValueSchema, { value: { case: "stringValue", value: "x" } });
  for (let i = 0; i < depth; i++) {
    v = create(AnyValueSchema, {
      value: { case: "arrayValue", value: { values: [v] } },
    });
  }
  return v;
}

describe("decodeTraceRequest", () => {
  it("maps a protobuf export to exactly the events its OTLP/JSON twin maps to", () => {
    const fromProtobuf = mapOtlpTraces(decodeTraceRequest(encodeTraces(chat)), "decoded");
    expect(fromProtobuf).toEqual(mapOtlpTraces(chat));
    expect(fromProtobuf.ignored).toBe(1);
    expect(fromProtobuf.events.map((e) => e.id)).toEqual(["00f067aa0ba902b7", "00f067aa0ba902b8"]);
    expect(fromProtobuf.events[1]).toMatchObject({ status: "error", evals: { faithfulness: 0.5 } });
  });

  it("decodes an empty body as an empty export", () => {
    expect(mapOtlpTraces(decodeTraceRequest(new Uint8Array()), "decoded")).toEqual({
      events: [],
      rejected: [],
      ignored: 0,
    });
  });

  it("names truncated messages, lengths past the body and wrong wire types", () => {
    const bytes = encodeTraces(chat);
    expect(readError(() => decodeTraceRequest(bytes.subarray(0, bytes.length - 7)))).toMatch(
      /^Body is not a protobuf ExportTraceServiceRequest: /,
    );
    // Field 1 (resource_spans), length-delimited, claiming 100 bytes with 2 present.
    expect(readError(() => decodeTraceRequest(new Uint8Array([0x0a, 100, 0x0a, 0x00])))).toMatch(
      /ExportTraceServiceRequest/,
    );
    // Field 1 sent as a varint (wire type 0) where a message (wire type 2) belongs.
    expect(readError(() => decodeTraceRequest(new Uint8Array([0x08, 0x01])))).toMatch(
      /ExportTraceServiceRequest/,
    );
  });

  it("points a JSON body sent as protobuf to application/json", () => {
    const json = new TextEncoder().encode(JSON.stringify(chat));
    expect(readError(() => decodeTraceRequest(json))).toContain(
      "the body looks like JSON: send it as application/json",
    );
  });

  it("refuses AnyValues nested deeper than the JSON path allows, or the decoder's 100 levels", () => {
    const request = (depth: number) =>
      create(ExportTraceServiceRequestSchema, {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    spanId: new Uint8Array(8).fill(1),
                    startTimeUnixNano: 1n,
                    attributes: [{ key: "gen_ai.prompt", value: nested(depth) }],
                  },
                ],
              },
            ],
          },
        ],
      });
    const encoded = (depth: number) => toBinary(ExportTraceServiceRequestSchema, request(depth));
    // 30 arrays are 90 levels of OTLP/JSON (value, arrayValue, values): past the JSON cap.
    const body = decodeTraceRequest(encoded(30));
    expect(readError(() => mapOtlpTraces(body, "decoded"))).toMatch(/nest deeper than 64 levels/);
    expect(readError(() => decodeTraceRequest(encoded(200)))).toMatch(/maximum recursion depth/);
  });

  it("refuses AnyValues nested so deep the decoder itself gives up, as a shape error", () => {
    // 200,000 levels of arrayValue: 4 bytes a level, well under 1 MiB.
    const depth = 200_000;
    const bytes = new Uint8Array(depth * 4);
    // Built from the inside out would be long; the decoder fails on the prefix alone.
    for (let i = 0; i < depth; i++) bytes.set([0x2a, 0x80, 0x80, 0x01], i * 4);
    expect(readError(() => decodeTraceRequest(bytes))).toMatch(/ExportTraceServiceRequest/);
  });

  it("rejects a span with more than 1,024 attributes or span events, keeping the others", () => {
    const many = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`gen_ai.x${i}`, str("v")]));
    const body = exportOf([
      span("00f067aa0ba902c1", many(MAX_SPAN_ATTRIBUTES)),
      span("00f067aa0ba902c2", many(MAX_SPAN_ATTRIBUTES + 1)),
      span(
        "00f067aa0ba902c3",
        { "gen_ai.request.model": str("m") },
        { events: Array.from({ length: MAX_SPAN_EVENTS + 1 }, () => ({ name: "e" })) },
      ),
    ]);
    for (const mapped of [
      mapOtlpTraces(body),
      mapOtlpTraces(decodeTraceRequest(encodeTraces(body)), "decoded"),
    ]) {
      expect(mapped.events.map((e) => e.id)).toEqual(["00f067aa0ba902c1"]);
      expect(mapped.rejected).toEqual([
        { spanIndex: 1, message: "1025 attributes; at most 1024 per span" },
        { spanIndex: 2, message: "1025 span events; at most 1024 per span" },
      ]);
    }
  });

  it("decodes any byte string to an export or a shape error, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        try {
          mapOtlpTraces(decodeTraceRequest(bytes), "decoded");
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpShapeError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("keeps the mapping of every span when an encoded export is cut or corrupted anywhere", () => {
    const bytes = encodeTraces(chat);
    const expected = mapOtlpTraces(chat);
    fc.assert(
      fc.property(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          const corrupt = bytes.slice();
          corrupt[at] = (corrupt[at] ?? 0) ^ xor;
          for (const body of [corrupt, bytes.subarray(0, at)]) {
            try {
              const mapped = mapOtlpTraces(decodeTraceRequest(body), "decoded");
              const spans = mapped.events.length + mapped.rejected.length + mapped.ignored;
              expect(spans).toBeLessThanOrEqual(3);
            } catch (err) {
              expect(err).toBeInstanceOf(OtlpShapeError);
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
    expect(mapOtlpTraces(decodeTraceRequest(bytes), "decoded")).toEqual(expected);
  });

  it("maps any export of generated GenAI spans the same from protobuf as from JSON", () => {
    const attrValue = fc.oneof(
      fc.string({ maxLength: 20 }).map(str),
      fc.integer({ min: -1, max: 2_000_000 }).map((n) => ({ intValue: String(n) })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ doubleValue: d })),
      fc.boolean().map((b) => ({ boolValue: b })),
    );
    const key = fc.constantFrom(
      "gen_ai.request.model",
      "gen_ai.response.model",
      "gen_ai.provider.name",
      "gen_ai.usage.input_tokens",
      "gen_ai.usage.output_tokens",
      "gen_ai.response.finish_reasons",
      "gen_ai.evaluation.relevance",
      "llm.model_name",
      "http.route",
    );
    const spanArb = fc.record({
      spanId: fc
        .uint8Array({ minLength: 8, maxLength: 8 })
        .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")),
      startMs: fc.integer({ min: 1, max: 2_000_000_000_000 }),
      durationMs: fc.integer({ min: 0, max: 100_000 }),
      attributes: fc.dictionary(key, attrValue, { maxKeys: 6 }),
      code: fc.constantFrom(0, 1, 2),
    });
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 6 }), (spans) => {
        const json = exportOf(
          spans.map((s) =>
            span(s.spanId, s.attributes, {
              startTimeUnixNano: (BigInt(s.startMs) * 1_000_000n).toString(),
              endTimeUnixNano: (BigInt(s.startMs + s.durationMs) * 1_000_000n).toString(),
              status: { code: s.code },
            }),
          ),
        );
        expect(mapOtlpTraces(decodeTraceRequest(encodeTraces(json)), "decoded")).toEqual(
          mapOtlpTraces(json),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("protobuf answers", () => {
  it("leaves partial_success unset on full success and carries it otherwise", () => {
    expect(encodeTraceResponse(undefined)).toHaveLength(0);
    const partial = fromBinary(
      ExportTraceServiceResponseSchema,
      encodeTraceResponse({ rejected: 2, errorMessage: "2 span(s) rejected" }),
    );
    expect(partial.partialSuccess?.rejectedSpans).toBe(2n);
    expect(partial.partialSuccess?.errorMessage).toBe("2 span(s) rejected");
  });

  it("writes errors as a google.rpc.Status with the matching gRPC code", () => {
    const status = fromBinary(StatusSchema, encodeErrorStatus(400, "bad"));
    expect(status).toMatchObject({ code: 3, message: "bad" });
    expect(fromBinary(StatusSchema, encodeErrorStatus(503, "later")).code).toBe(14);
    expect(fromBinary(StatusSchema, encodeErrorStatus(429, "slow")).code).toBe(8);
  });
});
