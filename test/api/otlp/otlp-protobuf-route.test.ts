// POST /v1/traces with binary protobuf through the Worker: the same windows as JSON, answers
// and errors in protobuf, and every malformed body a 4xx that names the problem.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { StatusSchema } from "../../../src/ingest/otlp-pb/google/rpc/status_pb";
import { ExportTraceServiceResponseSchema } from "../../../src/ingest/otlp-pb/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import { archivedEvents, call, createProject, uniqueSlug, waitFor } from "../../helpers";
import { encodeTraces } from "../../otlp-encode";
import { attrs, int, nanos, type OtlpValue, str } from "../../otlp-values";

let nextId = 1;
const spanId = () => (0x2000_0000_0000n + BigInt(nextId++)).toString(16).padStart(16, "0");

function span(attributes: Record<string, OtlpValue>, extra: Record<string, unknown> = {}) {
  const start = Date.now() - 60_000;
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: spanId(),
    name: "chat",
    kind: 3,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + 800),
    attributes: attrs(attributes),
    ...extra,
  };
}

function exportRequest(slug: string, spans: unknown[]) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: attrs({
            "service.name": str(slug),
            "deployment.environment.name": str("staging"),
          }),
        },
        scopeSpans: [{ spans }],
      },
    ],
  };
}

/** Fresh span ids each call: an OpenAI span, an Anthropic one (older names), a failure, HTTP. */
const genAiSpans = () => [
  span({
    "gen_ai.provider.name": str("openai"),
    "gen_ai.request.model": str("gpt-4o-mini"),
    "gen_ai.usage.input_tokens": int("120"),
    "gen_ai.usage.output_tokens": int(48),
    "gen_ai.response.finish_reasons": { arrayValue: { values: [str("stop")] } },
  }),
  span({
    "gen_ai.system": str("anthropic"),
    "gen_ai.request.model": str("claude-sonnet-4-5"),
    "gen_ai.usage.prompt_tokens": int(300),
    "gen_ai.usage.completion_tokens": int("75"),
  }),
  span(
    { "gen_ai.provider.name": str("openai"), "gen_ai.request.model": str("gpt-4o-mini") },
    { status: { code: 2, message: "429" } },
  ),
  span({ "http.request.method": str("POST") }),
];

const PROTOBUF = "application/x-protobuf";

const postBytes = (key: string, body: Uint8Array, headers: Record<string, string> = {}) =>
  call("/v1/traces", {
    method: "POST",
    key,
    headers: { "content-type": PROTOBUF, ...headers },
    body,
  });

const gzip = async (bytes: Uint8Array) =>
  new Uint8Array(
    await new Response(
      new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );

async function statusOf(res: Response) {
  expect(res.headers.get("content-type")).toBe(PROTOBUF);
  return fromBinary(StatusSchema, new Uint8Array(await res.arrayBuffer()));
}

async function windowOf(readKey: string, slug: string): Promise<unknown> {
  const res = await call(`/v1/deployments/staging/${slug}/window?range=15m`, { key: readKey });
  if (res.status !== 200) return null;
  return ((await res.json()) as { window: { summary: unknown } }).window.summary;
}

const countOf = (summary: unknown) => (summary as { count?: number } | null)?.count ?? 0;

describe("POST /v1/traces with protobuf", () => {
  it("gives the same window as the same spans sent as JSON", async () => {
    const p = await createProject();
    const spans = genAiSpans();
    const [viaJson, viaProtobuf] = [uniqueSlug("json"), uniqueSlug("pb")];
    const json = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      json: exportRequest(viaJson, spans),
    });
    expect(json.status).toBe(200);
    const pb = await postBytes(p.ingest, encodeTraces(exportRequest(viaProtobuf, spans)));
    expect(pb.status).toBe(200);
    expect(pb.headers.get("content-type")).toBe(PROTOBUF);
    // Full success: an ExportTraceServiceResponse with nothing set, i.e. no bytes at all.
    expect((await pb.arrayBuffer()).byteLength).toBe(0);
    const a = await waitFor(
      () => windowOf(p.read, viaJson),
      (s) => countOf(s) >= 3,
    );
    const b = await waitFor(
      () => windowOf(p.read, viaProtobuf),
      (s) => countOf(s) >= 3,
    );
    expect(countOf(b)).toBe(3);
    expect(b).toEqual(a);
  });

  it("inflates gzip protobuf and answers a partial success in protobuf for rejected spans", async () => {
    const p = await createProject();
    const slug = uniqueSlug("pb");
    const model = { "gen_ai.request.model": str("gpt-4o-mini") };
    const day = 86_400_000;
    const body = exportRequest(slug, [
      span(model),
      span(model, {
        startTimeUnixNano: nanos(Date.now() - 8 * day),
        endTimeUnixNano: nanos(Date.now() - 8 * day + 800),
      }),
      span(model, { spanId: "0000000000000000" }),
    ]);
    const res = await postBytes(p.ingest, await gzip(encodeTraces(body)), {
      "content-encoding": "gzip",
    });
    expect(res.status).toBe(200);
    const answer = fromBinary(
      ExportTraceServiceResponseSchema,
      new Uint8Array(await res.arrayBuffer()),
    );
    expect(answer.partialSuccess?.rejectedSpans).toBe(2n);
    expect(answer.partialSuccess?.errorMessage).toMatch(/^2 span\(s\) rejected: /);
    expect(answer.partialSuccess?.errorMessage).toContain("started more than 7 days ago");
    const summary = await waitFor(
      () => windowOf(p.read, slug),
      (s) => countOf(s) >= 1,
    );
    expect(countOf(summary)).toBe(1);
  });

  it("stores cache and reasoning tokens and prices cache reads at the cached-input price", async () => {
    const p = await createProject();
    const slug = uniqueSlug("pb");
    const cached = span({
      "gen_ai.provider.name": str("openai"),
      "gen_ai.request.model": str("gpt-4o"),
      "gen_ai.usage.input_tokens": int(1_000_000),
      "gen_ai.usage.output_tokens": int(1000),
      "gen_ai.usage.cache_read.input_tokens": int(400_000),
      "gen_ai.usage.reasoning.output_tokens": int(600),
    });
    const res = await postBytes(p.ingest, encodeTraces(exportRequest(slug, [cached])));
    expect(res.status).toBe(200);
    const [event] = await waitFor(
      () => archivedEvents(p.id),
      (events) => events.length >= 1,
    );
    expect(event).toMatchObject({
      id: cached.spanId,
      cache_read_input_tokens: 400_000,
      reasoning_output_tokens: 600,
      cost_source: "price_table",
    });
    // 600k input at $2.50, 400k cached at $1.25, 1k output at $10 (per million).
    expect((event as { cost_usd?: number }).cost_usd).toBeCloseTo(1.5 + 0.5 + 0.01, 10);
  });

  it("answers 400 with a google.rpc.Status naming why a body does not decode", async () => {
    const p = await createProject();
    const valid = encodeTraces(exportRequest(uniqueSlug("pb"), genAiSpans()));
    const random = new Uint8Array(256);
    crypto.getRandomValues(random);
    random[0] = 0x0a; // field 1, length-delimited: the decoder must look inside
    random[1] = 0xff;
    const cases: [string, Uint8Array][] = [
      ["random bytes", random],
      ["a truncated message", valid.subarray(0, valid.length - 5)],
      ["a length past the body", new Uint8Array([0x0a, 0x7f, 0x0a])],
      ["a wrong wire type", new Uint8Array([0x0d, 1, 2, 3, 4])],
      ["JSON labelled protobuf", new TextEncoder().encode('{"resourceSpans":[]}')],
    ];
    for (const [what, body] of cases) {
      const res = await postBytes(p.ingest, body);
      expect(res.status, what).toBe(400);
      const status = await statusOf(res);
      expect(status.code, what).toBe(3);
      expect(status.message, what).toMatch(/^Body is not a protobuf ExportTraceServiceRequest: /);
    }
    const json = await postBytes(p.ingest, new TextEncoder().encode('{"resourceSpans":[]}'));
    expect((await statusOf(json)).message).toContain("send it as application/json");
    // And the reverse: protobuf labelled JSON is a JSON error, in JSON.
    const labelledJson = await postBytes(p.ingest, valid, { "content-type": "application/json" });
    expect(labelledJson.status).toBe(400);
    const err = (await labelledJson.json()) as { error: { code: string } };
    expect(err.error.code).toBe("invalid_json");
  });

  it("answers 413 for a gzip bomb and for more than 1,000 GenAI spans, in protobuf", async () => {
    const p = await createProject();
    const slug = uniqueSlug("pb");
    // 2 MiB of zeros inflate past the cap whatever they would decode to.
    const bomb = await postBytes(p.ingest, await gzip(new Uint8Array(2 * 1024 * 1024)), {
      "content-encoding": "gzip",
    });
    expect(bomb.status).toBe(413);
    expect((await statusOf(bomb)).message).toContain("Decompressed body exceeds");
    const model = { "gen_ai.request.model": str("m") };
    const many = encodeTraces(
      exportRequest(
        slug,
        Array.from({ length: 1001 }, () => span(model)),
      ),
    );
    const res = await postBytes(p.ingest, many);
    expect(res.status).toBe(413);
    expect((await statusOf(res)).message).toContain("1001 GenAI spans");
  });

  it("answers 401 and 403 as a google.rpc.Status to protobuf requests", async () => {
    const p = await createProject();
    const body = encodeTraces(exportRequest(uniqueSlug("pb"), genAiSpans()));
    const unknown = await postBytes("dw_not_a_key", body);
    expect(unknown.status).toBe(401);
    expect((await statusOf(unknown)).code).toBe(16);
    const read = await postBytes(p.read, body);
    expect(read.status).toBe(403);
    expect((await statusOf(read)).code).toBe(7);
  });
});
