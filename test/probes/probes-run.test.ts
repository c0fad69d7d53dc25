// Probes end to end against a local server playing an AI endpoint (test/ai-endpoint.global.ts):
// the API, each run outcome, isolation between probes, synthetic events kept apart from
// real traffic, incidents opening and resolving, and secrets never shown or logged.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { syntheticMonitorOf } from "../../src/monitor/monitor-id";
import { runDueProbes } from "../../src/probes/execute";
import {
  archivedEvents,
  call,
  createProject,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../helpers";

const ai = inject("aiUrl");
const SECRET = "sk-live-0123456789abcdefSECRET";

interface RunView {
  id: string;
  outcome: string;
  http_status: number | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  error: string | null;
  answer_excerpt: string | null;
  assertions: { type: string; result: string; expected: string; observed: unknown }[];
}

async function createProbe(key: string, body: Record<string, unknown>) {
  const res = await call("/v1/probes", { method: "POST", key, json: body });
  const json = (await res.json()) as { probe: { id: string } & Record<string, unknown> };
  if (res.status !== 201) throw new Error(`probe: ${res.status} ${JSON.stringify(json)}`);
  return json.probe;
}

const chat = (path: string, over: Record<string, unknown> = {}) => ({
  name: path,
  deployment: "capital-bot",
  url: `${ai}/ai/${path}`,
  body: { model: "m", messages: [{ role: "user", content: "Capital of France?" }] },
  extractor: { type: "json", path: "choices.0.message.content" },
  assertions: [{ type: "icontains", value: "paris" }],
  // Generous: a loaded test machine must not turn a right answer into a timeout.
  timeout_ms: 8_000,
  interval_minutes: 1,
  ...over,
});
const streaming = (path: string, over: Record<string, unknown> = {}) =>
  chat(path, { extractor: { type: "sse", path: "choices.0.delta.content" }, ...over });

async function runs(
  key: string,
  id: string,
  query = "",
): Promise<{ runs: RunView[]; next_cursor: string | null }> {
  const res = await call(`/v1/probes/${id}/runs${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as { runs: RunView[]; next_cursor: string | null };
}

let minute = Math.floor(Date.now() / 60_000) * 60_000;
/** One cron tick a minute later than the last: every probe is due again. */
const tick = () => {
  minute += 60_000;
  return runDueProbes(env, minute, { maxJitterMs: 0 });
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("/v1/probes", () => {
  it("creates a probe (201) with secret headers masked, lists and reads it, and audits without the secret", async () => {
    const p = await createProject("probe-api");
    const probe = await createProbe(
      p.admin,
      chat("right", { secret_headers: { authorization: `Bearer ${SECRET}` } }),
    );
    expect(probe.secret_headers).toEqual({ authorization: "****CRET" });
    const list = await call("/v1/probes", { key: p.read });
    expect(list.status).toBe(200);
    const got = await call(`/v1/probes/${probe.id}`, { key: p.read });
    expect(got.status).toBe(200);
    const texts = [await list.text(), await got.text()];
    const audit = await env.DB.prepare("SELECT before, after FROM audit_log WHERE project_id = ?")
      .bind(p.id)
      .all();
    for (const t of [...texts, JSON.stringify(audit.results)])
      expect(t).not.toContain("0123456789abcdef");
    expect(texts[0]).toContain(probe.id);
  });

  it("answers 400 naming the field, 401 without a key, 403 for a read key, 404 for an unknown probe", async () => {
    const p = await createProject("probe-errors");
    const bad = await call("/v1/probes", {
      method: "POST",
      key: p.admin,
      json: chat("right", { assertions: [{ type: "regex", value: "(a)\\1" }] }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      error: { details: { issues: { path: string; message: string }[] } };
    };
    expect(body.error.details.issues[0]).toMatchObject({
      path: "assertions.0.value",
      message: expect.stringContaining("backreferences"),
    });
    const own = await call("/v1/probes", {
      method: "POST",
      key: p.admin,
      json: chat("right", { url: "http://127.0.0.1:8787/v1/events" }),
    });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain('"path":"url"');
    expect((await call("/v1/probes", { method: "POST", json: chat("right") })).status).toBe(401);
    expect(
      (await call("/v1/probes", { method: "POST", key: p.read, json: chat("right") })).status,
    ).toBe(403);
    expect((await call("/v1/probes/prb_nope", { key: p.read })).status).toBe(404);
    expect((await call("/v1/probes/prb_nope/runs", { key: p.read })).status).toBe(404);
  });

  it("updates and deletes a probe (admin), keeping a secret that the update does not name", async () => {
    const p = await createProject("probe-update");
    const probe = await createProbe(
      p.admin,
      chat("right", { secret_headers: { "x-api-key": SECRET } }),
    );
    const patched = await call(`/v1/probes/${probe.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { interval_minutes: 10, enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      probe: { interval_minutes: 10, enabled: false, secret_headers: { "x-api-key": "****CRET" } },
    });
    const row = await env.DB.prepare("SELECT secret_headers FROM probes WHERE id = ?")
      .bind(probe.id)
      .first<{ secret_headers: string }>();
    expect(JSON.parse(row?.secret_headers ?? "{}")).toEqual({ "x-api-key": SECRET });
    expect((await call(`/v1/probes/${probe.id}`, { method: "DELETE", key: p.read })).status).toBe(
      403,
    );
    expect((await call(`/v1/probes/${probe.id}`, { method: "DELETE", key: p.admin })).status).toBe(
      200,
    );
    expect((await call(`/v1/probes/${probe.id}`, { key: p.read })).status).toBe(404);
  });
});

describe("probe runs", () => {
  it("records each outcome correctly, one probe's failure never touching another's", async () => {
    const p = await createProject("probe-outcomes");
    const cases: [string, Record<string, unknown>][] = [
      ["right", chat("right")],
      ["wrong", chat("wrong")],
      [
        "slow",
        chat("slow", {
          timeout_ms: 5_000,
          assertions: [{ type: "latency", value: 4_000, degraded: 1_000 }],
        }),
      ],
      ["refusal", chat("refusal", { assertions: [{ type: "is-refusal", negate: true }] })],
      ["hang", chat("hang", { timeout_ms: 1_000 })],
      ["malformed", chat("malformed")],
      ["500", chat("500")],
      ["refused", chat("refused", { url: "http://127.0.0.1:1/v1/chat" })],
      [
        "stream",
        streaming("stream", {
          assertions: [
            { type: "contains", value: "Paris" },
            { type: "ttft", value: 1_000 },
          ],
        }),
      ],
      [
        "stream-slow-start",
        streaming("stream-slow-start", {
          timeout_ms: 5_000,
          assertions: [{ type: "ttft", value: 3_000, degraded: 500 }],
        }),
      ],
      ["stream-broken", streaming("stream-broken")],
      ["stream-truncated", streaming("stream-truncated")],
    ];
    const ids = new Map<string, string>();
    for (const [name, body] of cases)
      ids.set(name, (await createProbe(p.admin, { ...body, name })).id);
    const result = await tick();
    expect(result.failed).toEqual([]);
    const mine = new Set(ids.values());
    expect(result.ran.filter((r) => mine.has(r.probeId))).toHaveLength(cases.length);
    const latest = async (name: string) =>
      (await runs(p.read, ids.get(name) ?? "")).runs[0] as RunView;

    expect(await latest("right")).toMatchObject({
      outcome: "pass",
      http_status: 200,
      answer_excerpt: "The capital of France is Paris.",
    });
    expect(await latest("wrong")).toMatchObject({
      outcome: "fail",
      assertions: [
        { type: "status", result: "pass", observed: 200 },
        {
          type: "icontains",
          result: "fail",
          expected: 'contains "paris" (any case)',
          observed: "The capital of France is Berlin.",
        },
      ],
    });
    const slow = await latest("slow");
    expect(slow.outcome).toBe("degraded");
    expect(slow.latency_ms).toBeGreaterThanOrEqual(1_400);
    expect(await latest("refusal")).toMatchObject({
      outcome: "fail",
      assertions: [{}, { type: "is-refusal", result: "fail" }],
    });
    expect(await latest("hang")).toMatchObject({
      outcome: "error",
      error: "no complete answer within 1000 ms",
    });
    expect(await latest("malformed")).toMatchObject({
      outcome: "error",
      error: "malformed answer: the body is not JSON",
    });
    expect(await latest("500")).toMatchObject({
      outcome: "fail",
      http_status: 500,
      assertions: [
        { type: "status", result: "fail", expected: "status 2xx", observed: 500 },
        { result: "skipped" },
      ],
    });
    expect(await latest("refused")).toMatchObject({
      outcome: "error",
      http_status: null,
      error: expect.stringMatching(/^request failed: /),
    });
    const stream = await latest("stream");
    expect(stream).toMatchObject({
      outcome: "pass",
      answer_excerpt: "The capital of France is Paris.",
    });
    expect(stream.ttft_ms).toBeGreaterThanOrEqual(40);
    expect(stream.ttft_ms).toBeLessThan(stream.latency_ms ?? 0);
    const slowStart = await latest("stream-slow-start");
    expect(slowStart.outcome).toBe("degraded");
    expect(slowStart.ttft_ms).toBeGreaterThanOrEqual(1_100);
    expect(await latest("stream-broken")).toMatchObject({
      outcome: "error",
      error: "malformed answer: stream event 2: data is not JSON",
    });
    expect(await latest("stream-truncated")).toMatchObject({
      outcome: "error",
      error: "malformed answer: the stream ended in the middle of an event",
    });
  });

  it("feeds each run as a synthetic event to a sibling window: the real window never counts it", async () => {
    const p = await createProject("probe-synthetic");
    const slug = uniqueSlug("synth");
    await createProbe(p.admin, chat("right", { deployment: slug }));
    await createProbe(p.admin, chat("500", { name: "broken", deployment: slug }));
    const real = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: { deployment: slug, latency_ms: 100 },
    });
    expect(real.status).toBe(202);
    await tick();
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n === 3,
    );
    const deploymentId = `${p.id}:production:${slug}`;
    const range = { from: Date.now() - 3_600_000, to: Date.now() + 60_000 };
    const realWindow = await env.DEPLOYMENT_MONITOR.getByName(deploymentId).snapshot(range);
    const synthetic = await env.DEPLOYMENT_MONITOR.getByName(
      syntheticMonitorOf(deploymentId),
    ).snapshot(range);
    expect(realWindow.summary.count).toBe(1);
    expect(realWindow.summary.status.error).toBe(0);
    expect(synthetic.summary.count).toBe(2);
    expect(synthetic.summary.status.error).toBe(1);
    const stored = (await archivedEvents(p.id)).filter(
      (e) => e.type === "interaction" && e.source === "synthetic",
    );
    expect(stored).toHaveLength(2);
  });

  it("opens an incident after 2 failing runs naming the assertion and the answer, and resolves when it passes again", async () => {
    const p = await createProject("probe-incident");
    const slug = uniqueSlug("inc");
    const receiver = inject("receiverUrl");
    const hook = `probe-${slug}`;
    const ch = await call("/v1/channels", {
      method: "POST",
      key: p.admin,
      json: { type: "webhook", name: "hook", url: `${receiver}/hook/${hook}` },
    });
    expect(ch.status).toBe(201);
    const mode = (m: string) =>
      fetch(`${ai}/__mode/${slug}`, { method: "POST", body: JSON.stringify({ mode: m }) });
    const probe = await createProbe(
      p.admin,
      chat("mode", { deployment: slug, url: `${ai}/ai/mode/${slug}` }),
    );
    const other = await createProbe(p.admin, chat("right", { deployment: slug, name: "healthy" }));
    const incidents = async () => {
      const res = await call(`/v1/incidents?deployment=${slug}&status=firing,resolved`, {
        key: p.read,
      });
      return (
        (await res.json()) as { incidents: { rule_id: string; status: string; message: string }[] }
      ).incidents;
    };
    await mode("right");
    await tick();
    await mode("wrong");
    await tick();
    expect(await incidents()).toEqual([]);
    await tick();
    const [open, ...more] = await incidents();
    expect(more).toEqual([]);
    expect(open).toMatchObject({ rule_id: `probe:${probe.id}`, status: "firing" });
    expect(open?.message).toBe(
      `Probe "mode" failed 2 of its last 2 runs: contains "paris" (any case) (observed "The capital of France is Berlin.")`,
    );
    await tick();
    expect((await incidents())[0]?.status).toBe("firing");
    // The public status page shows the probe's incident as its deployment's state.
    const page = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: {
        status_page: {
          slug: `page-${slug}`,
          title: "Capital bot",
          deployments: [{ slug, name: "Capital bot" }],
        },
      },
    });
    expect(page.status).toBe(200);
    const html = await (await call(`/status/page-${slug}`)).text();
    expect(html).toMatch(/<h3>Capital bot<\/h3><span class="state major_outage"/);
    expect(html).toContain("Synthetic check failing");
    await mode("right");
    await tick();
    expect((await incidents()).map((i) => [i.rule_id, i.status])).toEqual([
      [`probe:${probe.id}`, "resolved"],
    ]);
    expect(await incidents()).not.toContainEqual(
      expect.objectContaining({ rule_id: `probe:${other.id}` }),
    );
    const received = await waitFor(
      async () =>
        (await (await fetch(`${receiver}/__received/${hook}`)).json()) as { body: string }[],
      (r) => r.length >= 2,
    );
    expect(received.map((r) => (JSON.parse(r.body) as { status: string }).status)).toEqual([
      "firing",
      "resolved",
    ]);
    expect(received[0]?.body).toContain("Berlin");
  });

  it("never shows or logs a secret header value, even when the endpoint echoes it", async () => {
    const p = await createProject("probe-secrets");
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a)))
            .join(" "),
        );
      });
    }
    const echo = await createProbe(
      p.admin,
      chat("echo", {
        secret_headers: { authorization: `Bearer ${SECRET}` },
        assertions: [{ type: "contains", value: "nothing" }],
      }),
    );
    await createProbe(
      p.admin,
      chat("refused", {
        url: "http://127.0.0.1:1/x",
        secret_headers: { authorization: `Bearer ${SECRET}` },
      }),
    );
    await tick();
    const page = await runs(p.read, echo.id);
    expect(page.runs[0]?.outcome).toBe("fail");
    expect(page.runs[0]?.answer_excerpt).toBe("you sent ****");
    const everything = [
      JSON.stringify(page),
      await (await call("/v1/probes", { key: p.read })).text(),
      await (await call(`/v1/incidents?status=firing,resolved`, { key: p.read })).text(),
      JSON.stringify(
        (await env.DB.prepare("SELECT * FROM probe_runs WHERE project_id = ?").bind(p.id).all())
          .results,
      ),
      JSON.stringify(await archivedEvents(p.id)),
      ...logged,
    ].join("\n");
    expect(everything).not.toContain("0123456789abcdef");
  });

  it("pages runs newest first with a cursor", async () => {
    const p = await createProject("probe-pages");
    const probe = await createProbe(p.admin, chat("right"));
    for (let i = 0; i < 3; i++) await tick();
    const first = await runs(p.read, probe.id, "?limit=2");
    expect(first.runs).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await runs(p.read, probe.id, `?limit=2&cursor=${first.next_cursor}`);
    expect(second.runs).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const all = [...first.runs, ...second.runs].map((r) => r.id);
    expect(new Set(all).size).toBe(3);
    expect(all).toEqual([...all].sort().reverse());
    expect((await call(`/v1/probes/${probe.id}/runs?cursor=garbage`, { key: p.read })).status).toBe(
      400,
    );
  });
});
