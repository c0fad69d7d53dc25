// The pure mapping of OTLP log records to late eval and feedback events (src/ingest/otlp-logs.ts).
import { describe, expect, it } from "vitest";
import { OtlpShapeError } from "../../src/ingest/otlp";
import { mapOtlpLogs } from "../../src/ingest/otlp-logs";
import { attrs, type OtlpValue, str } from "../otlp-values";

const SPAN = "00f067aa0ba902b7";

const body = (
  records: unknown[],
  resource: Record<string, OtlpValue> = { "service.name": str("Support Bot") },
) => ({
  resourceLogs: [
    { resource: { attributes: attrs(resource) }, scopeLogs: [{ logRecords: records }] },
  ],
});

describe("mapping OTLP log records", () => {
  it("reads the event name from an event.name attribute and the time from observedTimeUnixNano", () => {
    const result = mapOtlpLogs(
      body([
        {
          observedTimeUnixNano: "1765058400123000000",
          spanId: SPAN,
          attributes: attrs({
            "event.name": str("gen_ai.evaluation.result"),
            "gen_ai.evaluation.name": str("answer relevance"),
            "gen_ai.evaluation.score.value": str("0.5"),
          }),
        },
      ]),
    );
    expect(result.events).toEqual([
      {
        type: "eval",
        ref: SPAN,
        deployment: "support-bot",
        ts: 1765058400123,
        evals: { answer_relevance: 0.5 },
      },
    ]);
  });

  it("takes the deployment and environment from record attributes over the resource, and leaves ts to the server when unset", () => {
    const result = mapOtlpLogs(
      body(
        [
          {
            eventName: "driftwatch.feedback",
            spanId: SPAN,
            attributes: attrs({
              "driftwatch.deployment": str("gateway-bot"),
              "driftwatch.environment": str("staging"),
              "driftwatch.feedback.value": str("up"),
              "driftwatch.feedback.rating": { doubleValue: 0.9 },
            }),
          },
        ],
        {},
      ),
    );
    expect(result.events).toEqual([
      {
        type: "feedback",
        ref: SPAN,
        deployment: "gateway-bot",
        environment: "staging",
        feedback: 1,
        rating: 0.9,
      },
    ]);
  });

  it("ignores other records, rejects GenAI records without a deployment by index", () => {
    const result = mapOtlpLogs(
      body(
        [
          { body: str("GET /chat 200"), attributes: attrs({ "http.route": str("/chat") }) },
          { eventName: "gen_ai.client.inference.operation.details", spanId: SPAN },
          { eventName: "driftwatch.feedback", spanId: SPAN, attributes: attrs({}) },
        ],
        { "service.name": str("unknown_service:python") },
      ),
    );
    expect(result.ignored).toBe(2);
    expect(result.events).toEqual([]);
    expect(result.rejected).toEqual([
      { recordIndex: 2, message: expect.stringContaining("service.name is missing") },
    ]);
  });

  it("throws OtlpShapeError for a body that is not an ExportLogsServiceRequest", () => {
    expect(() => mapOtlpLogs({ resourceLogs: [{ scopeLogs: "x" }] })).toThrow(OtlpShapeError);
    expect(() => mapOtlpLogs([])).toThrow(/ExportLogsServiceRequest/);
  });
});
