// POST /v1/logs through the Worker, JSON and binary protobuf: `gen_ai.evaluation.result` log
// records become eval scores and `driftwatch.feedback` records thumbs of the span they name,
// counted at their own time even minutes after the span; other records are ignored.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { StatusSchema } from "../../../src/ingest/otlp-pb/google/rpc/status_pb";
import { ExportLogsServiceResponseSchema } from "../../../src/ingest/otlp-pb/opentelemetry/proto/collector/logs/v1/logs_service_pb";
import { call, createProject, uniqueSlug, waitFor } from "../../helpers";
import { encodeLogs } from "../../otlp-encode";
import { attrs, dbl, int, nanos, str } from "../../otlp-values";

let nextId = 1;
const newSpanId = () => (0x3000_0000_0000n + BigInt(nextId++)).toString(16).padStart(16, "0");
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PROTOBUF = "application/x-protobuf";

const resource = (slug: string) => ({
  attributes: attrs({ "service.name": str(slug), "deployment.environment.name": str("staging") }),
});

function chatSpan(spanId: string, extra: Record<string, unknown> = {}) {
  const start = Date.now() - 10 * 60_000;
  return {
    traceId: TRACE,
    spanId,
    name: "chat gpt-4o-mini",
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + 700),
    attributes: attrs({ "gen_ai.request.model": str("gpt-4o-mini") }),
    ...extra,
  };
}

const traces = (slug: string, spans: unknown[]) => ({
  resourceSpans: [{ resource: resource(slug), scopeSpans: [{ spans }] }],
});

function evaluation(spanId: string, name: string, score: number) {
  return {
    timeUnixNano: nanos(Date.now()),
    eventName: "gen_ai.evaluation.result",
    traceId: TRACE,
    spanId,
    attributes: attrs({
      "gen_ai.evaluation.name": str(name),
      "gen_ai.evaluation.score.value": dbl(score),
      "gen_ai.evaluation.score.label": str(score >= 0.5 ? "pass" : "fail"),
    }),
  };
}

function feedback(spanId: string, value: number) {
  return {
    timeUnixNano: nanos(Date.now()),
    eventName: "driftwatch.feedback",
    spanId,
    attributes: attrs({ "driftwatch.feedback.value": int(value) }),
  };
}

const withoutSpanId = ({ spanId: _, ...record }: { spanId: string }) => record;

const appLog = () => ({
  timeUnixNano: nanos(Date.now()),
  severityNumber: 9,
  body: str("request handled"),
  attributes: attrs({ "http.route": str("/chat") }),
});

const logs = (slug: string, logRecords: unknown[]) => ({
  resourceLogs: [{ resource: resource(slug), scopeLogs: [{ logRecords }] }],
});

interface Summary {
  count: number;
  feedback: { up: number; down: number };
  feedback_events: number;
  distributions: { evals: Record<string, { count: number; p50: number | null }> };
}

async function windowOf(readKey: string, slug: string): Promise<Summary | null> {
  const res = await call(`/v1/deployments/staging/${slug}/window?range=1h`, { key: readKey });
  if (res.status !== 200) return null;
  return ((await res.json()) as { window: { summary: Summary } }).window.summary;
}

const postLogs = (key: string, body: unknown) =>
  call("/v1/logs", { method: "POST", key, json: body });
const postLogBytes = (key: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  call("/v1/logs", {
    method: "POST",
    key,
    headers: { "content-type": PROTOBUF, ...headers },
    body,
  });

describe("POST /v1/logs", () => {
  it("turns evaluation results and feedback sent as JSON minutes after their spans into eval scores and thumbs", async () => {
    const p = await createProject();
    const slug = uniqueSlug("logs");
    const [a, b] = [newSpanId(), newSpanId()];
    const spans = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: traces(slug, [chatSpan(a), chatSpan(b)]),
    });
    expect(spans.status).toBe(200);
    const res = await postLogs(
      p.ingest,
      logs(slug, [
        evaluation(a, "relevance", 0.9),
        evaluation(b, "relevance", 0.3),
        evaluation(a, "faithfulness", 1),
        feedback(a, 1),
        feedback(b, -1),
        appLog(),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const summary = await waitFor(
      () => windowOf(p.read, slug),
      (s) => (s?.feedback_events ?? 0) >= 2 && (s?.distributions.evals.relevance?.count ?? 0) >= 2,
    );
    expect(summary?.count).toBe(2);
    expect(summary?.feedback).toEqual({ up: 1, down: 1 });
    expect(summary?.feedback_events).toBe(2);
    expect(summary?.distributions.evals.relevance?.count).toBe(2);
    expect(summary?.distributions.evals.faithfulness?.count).toBe(1);
  });

  it("counts the same records sent again once", async () => {
    const p = await createProject();
    const slug = uniqueSlug("logs");
    const a = newSpanId();
    const body = logs(slug, [evaluation(a, "toxicity", 0.1), feedback(a, 1)]);
    expect((await postLogs(p.ingest, body)).status).toBe(200);
    expect((await postLogs(p.ingest, body)).status).toBe(200);
    const marker = logs(slug, [evaluation(newSpanId(), "marker", 1)]);
    expect((await postLogs(p.ingest, marker)).status).toBe(200);
    const summary = await waitFor(
      () => windowOf(p.read, slug),
      (s) => (s?.distributions.evals.marker?.count ?? 0) >= 1,
    );
    expect(summary?.distributions.evals.toxicity?.count).toBe(1);
    expect(summary?.feedback_events).toBe(1);
  });

  it("takes binary protobuf, gzip too, and answers a partial success in protobuf", async () => {
    const p = await createProject();
    const slug = uniqueSlug("logs-pb");
    const a = newSpanId();
    const body = logs(slug, [
      evaluation(a, "relevance", 0.8),
      feedback(a, -1),
      withoutSpanId(evaluation(a, "relevance", 0.8)),
      { ...feedback(a, 1), attributes: attrs({ "driftwatch.feedback.value": int(5) }) },
      appLog(),
    ]);
    const gz = new Uint8Array(
      await new Response(
        new Blob([encodeLogs(body)]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    );
    const res = await postLogBytes(p.ingest, gz, { "content-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(PROTOBUF);
    const answer = fromBinary(
      ExportLogsServiceResponseSchema,
      new Uint8Array(await res.arrayBuffer()),
    );
    expect(answer.partialSuccess?.rejectedLogRecords).toBe(2n);
    expect(answer.partialSuccess?.errorMessage).toMatch(/^2 log record\(s\) rejected: /);
    expect(answer.partialSuccess?.errorMessage).toContain("spanId must name the evaluated span");
    expect(answer.partialSuccess?.errorMessage).toContain("driftwatch.feedback.value must be");
    const summary = await waitFor(
      () => windowOf(p.read, slug),
      (s) => (s?.feedback_events ?? 0) >= 1 && (s?.distributions.evals.relevance?.count ?? 0) >= 1,
    );
    expect(summary?.feedback).toEqual({ up: 0, down: 1 });
    expect(summary?.distributions.evals.relevance?.count).toBe(1);
  });

  it("answers JSON with rejectedLogRecords for a record that cannot be mapped", async () => {
    const p = await createProject();
    const slug = uniqueSlug("logs");
    const noScore = evaluation(newSpanId(), "relevance", 1);
    noScore.attributes = attrs({ "gen_ai.evaluation.name": str("relevance") });
    const res = await postLogs(p.ingest, logs(slug, [noScore, appLog()]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: 1,
        errorMessage:
          "1 log record(s) rejected: gen_ai.evaluation.score.value is missing or not a number (log record #0)",
      },
    });
  });

  it("answers 400, 413 and 415 for bodies it cannot take, protobuf errors as google.rpc.Status", async () => {
    const p = await createProject();
    const notJson = await call("/v1/logs", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    const wrongShape = await postLogs(p.ingest, { resourceLogs: 3 });
    expect(wrongShape.status).toBe(400);
    expect(JSON.stringify(await wrongShape.json())).toContain("ExportLogsServiceRequest");
    const garbage = await postLogBytes(p.ingest, new Uint8Array([0x0a, 0x7f, 0x0a]));
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get("content-type")).toBe(PROTOBUF);
    const status = fromBinary(StatusSchema, new Uint8Array(await garbage.arrayBuffer()));
    expect(status.code).toBe(3);
    expect(status.message).toContain("not a protobuf ExportLogsServiceRequest");
    const xml = await call("/v1/logs", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "application/xml" },
      body: "<logs/>",
    });
    expect(xml.status).toBe(415);
    const slug = uniqueSlug("logs");
    const many = Array.from({ length: 1_001 }, () => feedback(newSpanId(), 1));
    const tooMany = await postLogs(p.ingest, logs(slug, many));
    expect(tooMany.status).toBe(413);
    const unauthenticated = await call("/v1/logs", { method: "POST", json: logs(slug, []) });
    expect(unauthenticated.status).toBe(401);
  });
});

describe("span events on the evaluated span", () => {
  it("turn a driftwatch.feedback span event into the interaction's thumbs", async () => {
    const p = await createProject();
    const slug = uniqueSlug("spans");
    const span = chatSpan(newSpanId(), {
      events: [
        {
          name: "driftwatch.feedback",
          attributes: attrs({ "driftwatch.feedback.value": str("down") }),
        },
        {
          name: "gen_ai.evaluation.result",
          attributes: attrs({
            "gen_ai.evaluation.name": str("relevance"),
            "gen_ai.evaluation.score.value": dbl(0.25),
          }),
        },
      ],
    });
    const res = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: traces(slug, [span]),
    });
    expect(res.status).toBe(200);
    const summary = await waitFor(
      () => windowOf(p.read, slug),
      (s) => (s?.count ?? 0) >= 1,
    );
    expect(summary?.feedback).toEqual({ up: 0, down: 1 });
    expect(summary?.feedback_events).toBe(0);
    expect(summary?.distributions.evals.relevance?.count).toBe(1);
  });
});
