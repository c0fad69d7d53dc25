// POST /v1/traces through the Worker: OTLP/HTTP JSON in, events in the deployment's window.
import { describe, expect, it } from "vitest";
import { call, createProject, storedEventCount, uniqueSlug, waitFor } from "../../helpers";
import { attrs, int, nanos, type OtlpValue, str } from "../../otlp-values";

let nextId = 1;
/** A fresh, valid 16-hex-digit span id. */
const spanId = () => (0x1000_0000_0000n + BigInt(nextId++)).toString(16).padStart(16, "0");

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
    status: {},
    ...extra,
  };
}

function exportRequest(resource: Record<string, OtlpValue>, spans: unknown[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs(resource) },
        scopeSpans: [{ scope: { name: "opentelemetry.instrumentation.openai_v2" }, spans }],
      },
    ],
  };
}

/** An OpenAI chat span (current names), an Anthropic one (deprecated names), an HTTP span. */
function genAiExport(slug: string) {
  return exportRequest(
    { "service.name": str(slug), "deployment.environment.name": str("staging") },
    [
      span({
        "gen_ai.operation.name": str("chat"),
        "gen_ai.provider.name": str("openai"),
        "gen_ai.request.model": str("gpt-4o-mini"),
        "gen_ai.response.model": str("gpt-4o-mini-2024-07-18"),
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
      span({ "http.request.method": str("POST"), "url.full": str("https://example.test/") }),
    ],
  );
}

const post = (key: string, json: unknown) => call("/v1/traces", { method: "POST", key, json });

interface WindowSummary {
  count: number;
  status: { ok: number; error: number };
  tokens: { input: number; output: number };
  categories: { model: Record<string, number>; provider: Record<string, number> };
}

async function windowOf(readKey: string, env: string, slug: string) {
  const res = await call(`/v1/deployments/${env}/${slug}/window?range=15m`, { key: readKey });
  if (res.status !== 200) return null;
  return ((await res.json()) as { window: { summary: WindowSummary } }).window.summary;
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; requestId: string } }).error;

describe("POST /v1/traces", () => {
  it("maps GenAI spans into the deployment's window and answers an empty 200", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otlp");
    const res = await post(p.ingest, genAiExport(slug));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({});
    const summary = await waitFor(
      () => windowOf(p.read, "staging", slug),
      (s) => (s?.count ?? 0) >= 3,
    );
    expect(summary?.count).toBe(3);
    expect(summary?.status).toMatchObject({ ok: 2, error: 1 });
    expect(summary?.tokens).toEqual({ input: 420, output: 123 });
    expect(summary?.categories.model).toEqual({
      "gpt-4o-mini-2024-07-18": 1,
      "claude-sonnet-4-5": 1,
      "gpt-4o-mini": 1,
    });
    expect(summary?.categories.provider).toEqual({ openai: 2, anthropic: 1 });
  });

  it("counts an export sent twice only once, using span ids as event ids", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otlp");
    const body = genAiExport(slug);
    expect((await post(p.ingest, body)).status).toBe(200);
    expect((await post(p.ingest, body)).status).toBe(200);
    const count = async () => (await windowOf(p.read, "staging", slug))?.count ?? 0;
    expect(await waitFor(count, (n) => n >= 3)).toBe(3);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await count()).toBe(3);
    expect(await storedEventCount(p.id)).toBe(3);
  });

  it("answers partialSuccess with the number of rejected spans and why, keeping the rest", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otlp");
    const model = { "gen_ai.request.model": str("gpt-4o-mini") };
    const day = 86_400_000;
    const good = exportRequest({ "service.name": str(slug) }, [
      span(model),
      span(model, { spanId: "not-an-id" }),
      span(model, {
        startTimeUnixNano: nanos(Date.now() - 8 * day),
        endTimeUnixNano: nanos(Date.now() - 8 * day + 800),
      }),
      span(model, { startTimeUnixNano: nanos(Date.now() + 3_600_000) }),
      span({ "db.system.name": str("postgresql") }),
    ]);
    const orphan = exportRequest({ "telemetry.sdk.language": str("python") }, [
      span(model),
      span(model),
    ]);
    const res = await post(p.ingest, {
      resourceSpans: [...good.resourceSpans, ...orphan.resourceSpans],
    });
    expect(res.status).toBe(200);
    const { partialSuccess } = (await res.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(partialSuccess.rejectedSpans).toBe(5);
    const message = partialSuccess.errorMessage;
    expect(message).toMatch(/^5 span\(s\) rejected: /);
    expect(message).toMatch(/spanId must be [^(]+\(span #1\); /);
    expect(message).toMatch(/service\.name is missing.*?\(span #5, #6\);/);
    expect(message).toMatch(/started more than 7 days ago \(span [0-9a-f]{16}\)/);
    expect(message).toContain("starts more than 5 minutes in the future");
    const count = async () => (await windowOf(p.read, "production", slug))?.count ?? 0;
    expect(await waitFor(count, (n) => n >= 1)).toBe(1);
  });

  it("accepts an empty export and one without GenAI spans with an empty 200", async () => {
    const p = await createProject();
    for (const body of [{}, exportRequest({ "service.name": str("web") }, [span({})])]) {
      const res = await post(p.ingest, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
    }
  });

  it("answers 400 in our error envelope for bad JSON and bodies that are not an export", async () => {
    const p = await createProject();
    const bad = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "application/json" },
      body: '{"resourceSpans": [',
    });
    expect(bad.status).toBe(400);
    const err = await errorOf(bad);
    expect(err.code).toBe("invalid_json");
    expect(err.requestId).toBeTruthy();
    for (const json of [
      [],
      42,
      null,
      { resourceSpans: "x" },
      { resourceSpans: [{ scopeSpans: 1 }] },
    ]) {
      const res = await post(p.ingest, json);
      expect(res.status).toBe(400);
      const e = await errorOf(res);
      expect(e.code).toBe("bad_request");
      expect(e.message).toContain("not an OTLP ExportTraceServiceRequest");
    }
  });

  it("refuses Content-Types other than JSON and protobuf with 415", async () => {
    const p = await createProject();
    const text = await call("/v1/traces", {
      method: "POST",
      key: p.ingest,
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
    const err = await errorOf(text);
    expect(err.code).toBe("unsupported_media_type");
    expect(err.message).toContain("application/x-protobuf or application/json");
  });

  it("answers 413 above 1 MiB or above 1,000 GenAI spans, but not for other spans", async () => {
    const p = await createProject();
    const resource = { "service.name": str(uniqueSlug("otlp")) };
    const huge = exportRequest(resource, [span({ "gen_ai.prompt": str("x".repeat(1_100_000)) })]);
    const big = await post(p.ingest, huge);
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("payload_too_large");
    const model = { "gen_ai.request.model": str("m") };
    const many = await post(
      p.ingest,
      exportRequest(
        resource,
        Array.from({ length: 1001 }, () => span(model)),
      ),
    );
    expect(many.status).toBe(413);
    expect((await errorOf(many)).message).toContain("1001 GenAI spans");
    const http = { "http.request.method": str("GET") };
    const plain = await post(
      p.ingest,
      exportRequest(
        resource,
        Array.from({ length: 1001 }, () => span(http)),
      ),
    );
    expect(plain.status).toBe(200);
  });

  it("answers 401 without a valid key, 403 without the ingest scope, and takes ?key=", async () => {
    const p = await createProject();
    const body = genAiExport(uniqueSlug("otlp"));
    const none = await call("/v1/traces", { method: "POST", json: body });
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe("unauthorized");
    expect((await post("dw_not_a_key", body)).status).toBe(401);
    const read = await post(p.read, body);
    expect(read.status).toBe(403);
    expect((await errorOf(read)).code).toBe("forbidden");
    const query = await call(`/v1/traces?key=${encodeURIComponent(p.ingest)}`, {
      method: "POST",
      json: body,
    });
    expect(query.status).toBe(200);
  });

  it("inflates gzip bodies as the Collector sends them, under the same 1 MiB cap", async () => {
    const p = await createProject();
    const slug = uniqueSlug("otlp");
    const gzip = async (text: string) =>
      new Uint8Array(
        await new Response(
          new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
        ).arrayBuffer(),
      );
    const send = (body: Uint8Array) =>
      call("/v1/traces", {
        method: "POST",
        key: p.ingest,
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
        body,
      });
    const ok = await send(await gzip(JSON.stringify(genAiExport(slug))));
    expect(ok.status).toBe(200);
    const count = async () => (await windowOf(p.read, "staging", slug))?.count ?? 0;
    expect(await waitFor(count, (n) => n >= 3)).toBe(3);
    const bomb = await send(await gzip(`{"resourceSpans":[]${" ".repeat(2_000_000)}}`));
    expect(bomb.status).toBe(413);
    const truncated = (await gzip(JSON.stringify(genAiExport(slug)))).subarray(0, 40);
    const broken = await send(truncated);
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).message).toContain("does not decompress");
  });

  it("answers CORS preflights for browser exporters", async () => {
    const res = await call("/v1/traces", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });
});
