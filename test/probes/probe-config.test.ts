import { describe, expect, it } from "vitest";
import { probeSignal } from "../../src/probes/alert-policy";
import {
  applyUpdate,
  definitionFromCreate,
  renderBody,
  secretsToRenew,
} from "../../src/probes/definition";
import { extractJson, MalformedAnswer, SseAnswer } from "../../src/probes/extractor";
import { maskHeaders, redactSecrets } from "../../src/probes/headers";
import { getAtPath, parseJsonPath } from "../../src/probes/json-path";
import { CreateProbeSchema, UpdateProbeSchema } from "../../src/probes/probe-schema";
import { maskUrl, urlSecrets } from "../../src/probes/url-secrets";

const create = (over: Record<string, unknown>) =>
  CreateProbeSchema.parse({
    name: "capital",
    deployment: "support-bot",
    url: "https://ai.example.com/v1/chat/completions",
    ...over,
  });

describe("json path", () => {
  it("reads dotted and bracketed paths", () => {
    const v = { choices: [{ message: { content: "hi" } }] };
    expect(getAtPath(v, parseJsonPath("choices.0.message.content"))).toBe("hi");
    expect(getAtPath(v, parseJsonPath("$.choices[0].message.content"))).toBe("hi");
    expect(getAtPath(v, parseJsonPath("choices.1.message"))).toBeUndefined();
    expect(getAtPath({ constructor: 1 }, parseJsonPath("toString"))).toBeUndefined();
    expect(() => parseJsonPath("a..b")).toThrow("empty path segment");
    expect(() => parseJsonPath("a.b c")).toThrow('bad path segment "b c"');
  });
});

describe("extractors", () => {
  it("json: the text at the path, or a malformed-answer error", () => {
    expect(extractJson('{"a":{"b":"x"}}', "a.b")).toBe("x");
    expect(() => extractJson("<html>", "a")).toThrow(MalformedAnswer);
    expect(() => extractJson('{"a":1}', "b")).toThrow("no value at the answer path");
    expect(() => extractJson('{"a":{"b":1}}', "a")).toThrow("holds an object");
  });

  it("sse: joins the chunks at the path and stops at [DONE]", () => {
    const s = new SseAnswer("choices.0.delta.content");
    const ev = (data: string) => ({ event: "message", data });
    expect(s.add(ev('{"choices":[{"delta":{"role":"assistant"}}]}'))).toBe("");
    expect(s.add(ev('{"choices":[{"delta":{"content":"Pa"}}]}'))).toBe("Pa");
    expect(s.add(ev('{"choices":[{"delta":{"content":"ris"}}]}'))).toBe("ris");
    s.add(ev("[DONE]"));
    expect(s.add(ev('{"choices":[{"delta":{"content":"!"}}]}'))).toBe("");
    expect(s.text).toBe("Paris");
    expect(s.done).toBe(true);
    expect(() => new SseAnswer("x").add(ev("not json"))).toThrow(MalformedAnswer);
  });
});

describe("probe definitions", () => {
  it("the OpenAI template fills method, headers, a secret key, body and extractor", () => {
    const p = definitionFromCreate(
      create({
        template: {
          kind: "openai-chat",
          model: "gpt-4o-mini",
          prompt: "Capital of France?",
          api_key: "sk-test-1234567890abcdef",
          stream: true,
        },
      }),
    );
    expect(p.definition).toMatchObject({
      method: "POST",
      headers: { "content-type": "application/json" },
      extractor: { type: "sse", path: "choices.0.delta.content" },
      body: {
        model: "gpt-4o-mini",
        stream: true,
        messages: [{ role: "user", content: "Capital of France?" }],
      },
      interval_minutes: 5,
      timeout_ms: 10_000,
      alert: { consecutive: 2, severity: "critical" },
    });
    expect(p.secretHeaders).toEqual({ authorization: "Bearer sk-test-1234567890abcdef" });
    expect(maskHeaders(p.secretHeaders).authorization).toBe("****cdef");
  });

  it("the Anthropic template uses x-api-key and content.0.text", () => {
    const p = definitionFromCreate(
      create({
        template: {
          kind: "anthropic-messages",
          model: "claude-x",
          prompt: "Hi",
          api_key: "k".repeat(20),
        },
      }),
    );
    expect(p.definition.extractor).toEqual({ type: "json", path: "content.0.text" });
    expect(p.definition.headers["anthropic-version"]).toBe("2023-06-01");
    expect(Object.keys(p.secretHeaders)).toEqual(["x-api-key"]);
  });

  it("credential headers given as plain headers are stored as secrets", () => {
    const p = definitionFromCreate(
      create({
        extractor: { type: "raw" },
        headers: { Authorization: "Bearer abc", "X-Request-Id": "1", "X-Api-Key": "zzz" },
      }),
    );
    expect(p.definition.headers).toEqual({ "x-request-id": "1" });
    expect(p.secretHeaders).toEqual({ authorization: "Bearer abc", "x-api-key": "zzz" });
  });

  it("treats every header as secret unless it is known to be harmless", () => {
    const p = definitionFromCreate(
      create({
        extractor: { type: "raw" },
        headers: {
          "Ocp-Apim-Subscription-Key": "0123456789abcdef",
          "X-Goog-Api-Key": "AIzaSyA-0123456789",
          "Private-Token": "glpat-0123456789",
          "X-Trace": "1",
          Accept: "application/json",
          "Content-Type": "application/json",
          "Anthropic-Version": "2023-06-01",
        },
      }),
    );
    expect(p.definition.headers).toEqual({
      accept: "application/json",
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
    });
    expect(Object.keys(p.secretHeaders).sort()).toEqual([
      "ocp-apim-subscription-key",
      "private-token",
      "x-goog-api-key",
      "x-trace",
    ]);
    expect(maskHeaders(p.secretHeaders)["ocp-apim-subscription-key"]).toBe("****cdef");
  });

  it("masks the URL's user, password and query values, keeping api-version", () => {
    const url =
      "https://botuser:hunter2-pass@ai.example.com:8443/v1/chat?api-version=2024-02-01&key=sk%2Fsecret-1&sig=abc123&empty=";
    expect(maskUrl(url)).toBe(
      "https://****:****@ai.example.com:8443/v1/chat?api-version=2024-02-01&key=****&sig=****&empty=",
    );
    expect(maskUrl("https://token-only@ai.example.com/")).toBe("https://****@ai.example.com/");
    expect(maskUrl("https://ai.example.com/v1/chat")).toBe("https://ai.example.com/v1/chat");
    // Nothing to mask: the URL exactly as given, not re-serialised.
    expect(maskUrl("https://AI.example.com")).toBe("https://AI.example.com");
    expect(maskUrl("https://ai.example.com/?api-version=1")).toBe(
      "https://ai.example.com/?api-version=1",
    );
    expect(urlSecrets(url).sort()).toEqual(
      ["abc123", "botuser", "hunter2-pass", "sk%2Fsecret-1", "sk/secret-1"].sort(),
    );
    expect(
      redactSecrets(
        "GET https://botuser:hunter2-pass@x/?key=sk/secret-1 failed",
        {},
        urlSecrets(url),
      ),
    ).toBe("GET https://****:****@x/?key=**** failed");
  });

  it("moving a probe to another origin needs its secret headers again; the same origin does not", () => {
    const before = definitionFromCreate(
      create({
        extractor: { type: "raw" },
        secret_headers: { authorization: "Bearer one", "x-extra": "two" },
      }),
    );
    const renew = (patch: Record<string, unknown>) =>
      secretsToRenew(before, UpdateProbeSchema.parse(patch));
    expect(renew({ url: "https://attacker.example.net/collect" })).toEqual([
      "authorization",
      "x-extra",
    ]);
    // Scheme and port are part of the origin too.
    expect(renew({ url: "http://ai.example.com/v1/chat/completions" })).toHaveLength(2);
    expect(renew({ url: "https://ai.example.com:8443/v1/chat/completions" })).toHaveLength(2);
    expect(
      renew({
        url: "https://elsewhere.example.net/v1",
        secret_headers: { Authorization: "Bearer new", "x-extra": null },
      }),
    ).toEqual([]);
    expect(
      renew({ url: "https://elsewhere.example.net/v1", headers: { Authorization: "Bearer new" } }),
    ).toEqual(["x-extra"]);
    expect(renew({ url: "https://ai.example.com/v2/other?x=1" })).toEqual([]);
    expect(renew({ name: "renamed" })).toEqual([]);
  });

  it("a PATCH sending back the masked URL and secret headers it read keeps the stored ones, and renews nothing", () => {
    const url = "https://ai.example.com/v1/chat?key=query-secret-1";
    const before = definitionFromCreate(
      create({
        url,
        extractor: { type: "raw" },
        secret_headers: { authorization: "Bearer sk-0123456789abcdef" },
      }),
    );
    const echoed = UpdateProbeSchema.parse({
      name: "renamed",
      url: maskUrl(url),
      secret_headers: { authorization: "****cdef" },
    });
    const after = applyUpdate(before, echoed);
    expect(after.definition).toEqual({ ...before.definition, name: "renamed" });
    expect(after.secretHeaders).toEqual(before.secretHeaders);
    // Sending masks back cannot stand in for the secrets when the origin changes.
    expect(
      secretsToRenew(
        before,
        UpdateProbeSchema.parse({
          url: "https://elsewhere.example.net/",
          secret_headers: { authorization: "****cdef" },
          headers: { Authorization: "****cdef" },
        }),
      ),
    ).toEqual(["authorization"]);
  });

  it("a PATCH naming only the url keeps the interval, timeout and every other field", () => {
    const before = definitionFromCreate(
      create({
        extractor: { type: "raw" },
        interval_minutes: 1,
        timeout_ms: 8_000,
        method: "PUT",
        body: "ping",
        alert: { consecutive: 4, severity: "warning" },
        enabled: false,
      }),
    );
    const patch = UpdateProbeSchema.parse({ url: "https://ai.example.com/v2/chat" });
    expect(patch).toEqual({ url: "https://ai.example.com/v2/chat" });
    const after = applyUpdate(before, patch);
    expect(after.definition).toEqual({
      ...before.definition,
      url: "https://ai.example.com/v2/chat",
    });
  });

  it("headers given in a PATCH replace a stored secret of the same name", () => {
    const before = definitionFromCreate(
      create({ extractor: { type: "raw" }, secret_headers: { authorization: "Bearer old" } }),
    );
    const after = applyUpdate(
      before,
      UpdateProbeSchema.parse({ headers: { Authorization: "Bearer new", Accept: "text/plain" } }),
    );
    expect(after.secretHeaders).toEqual({ authorization: "Bearer new" });
    expect(after.definition.headers).toEqual({ accept: "text/plain" });
  });

  it("rejects a probe without extractor or template, a ttft budget without a stream, a GET body", () => {
    expect(
      CreateProbeSchema.safeParse({ name: "x", deployment: "d", url: "https://a.b" }).error
        ?.issues[0]?.path,
    ).toEqual(["extractor"]);
    expect(() =>
      definitionFromCreate(
        create({ extractor: { type: "raw" }, assertions: [{ type: "ttft", value: 500 }] }),
      ),
    ).toThrow("a ttft budget needs a streaming (sse) extractor");
    expect(
      CreateProbeSchema.safeParse({
        name: "x",
        deployment: "d",
        url: "https://a.b",
        method: "GET",
        body: "x",
        extractor: { type: "raw" },
      }).success,
    ).toBe(false);
    expect(
      CreateProbeSchema.safeParse({
        name: "x",
        deployment: "d",
        url: "ftp://a.b",
        extractor: { type: "raw" },
      }).success,
    ).toBe(false);
    expect(
      CreateProbeSchema.safeParse({
        name: "x",
        deployment: "d",
        url: "https://a.b",
        extractor: { type: "raw" },
        interval_minutes: 0,
      }).success,
    ).toBe(false);
    expect(
      CreateProbeSchema.safeParse({
        name: "x",
        deployment: "d",
        url: "https://a.b",
        extractor: { type: "raw" },
        headers: { host: "x" },
      }).success,
    ).toBe(false);
  });

  it("updates merge fields, set and remove secret headers, and keep the rest", () => {
    const before = definitionFromCreate(
      create({
        extractor: { type: "raw" },
        secret_headers: { authorization: "Bearer one", "x-extra": "two" },
      }),
    );
    const after = applyUpdate(
      before,
      UpdateProbeSchema.parse({
        interval_minutes: 1,
        secret_headers: { "X-Extra": null, authorization: "Bearer new" },
      }),
    );
    expect(after.definition.interval_minutes).toBe(1);
    expect(after.definition.name).toBe("capital");
    expect(after.secretHeaders).toEqual({ authorization: "Bearer new" });
  });

  it("renders body placeholders and redacts secrets from text", () => {
    expect(renderBody({ q: "id {{run_id}} at {{ now_ms }}" }, { runId: "r1", now: 5 })).toBe(
      '{"q":"id r1 at 5"}',
    );
    expect(renderBody(null, { runId: "r1", now: 5 })).toBeNull();
    expect(
      redactSecrets("echo: Bearer sk-abcdef / sk-abcdef", { authorization: "Bearer sk-abcdef" }),
    ).toBe("echo: **** / ****");
  });
});

describe("alert policy", () => {
  const policy = { consecutive: 2, severity: "critical" as const };
  it("breaches after N failing runs in a row; errors count as failing", () => {
    expect(probeSignal(["fail"], policy)).toBe("hold");
    expect(probeSignal(["fail", "error"], policy)).toBe("breach");
    expect(probeSignal(["fail", "pass", "fail"], policy)).toBe("hold");
  });
  it("breaches on M of the last K runs, and clears at the first pass (degraded passes)", () => {
    const mOfK = { ...policy, consecutive: 5, failures: 3, runs: 5 };
    expect(probeSignal(["fail", "pass", "fail", "pass", "fail"], mOfK)).toBe("breach");
    expect(probeSignal(["fail", "pass", "fail", "pass", "pass", "fail"], mOfK)).toBe("hold");
    expect(probeSignal(["degraded", "fail", "fail"], mOfK)).toBe("ok");
    expect(probeSignal([], policy)).toBe("hold");
  });
});
