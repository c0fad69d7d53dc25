// Probes end to end against a local server playing an AI endpoint (test/ai-endpoint.global.ts):
// the API, each run outcome, isolation between probes, synthetic events kept apart from
// real traffic, incidents opening and resolving, and secrets never shown or logged.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { syntheticMonitorOf } from "../../src/monitor/monitor-id";
import { runDueProbes } from "../../src/probes/execute";
import { client, expectStatus, issuePath } from "../client";
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

type ProbeRequest = Parameters<ReturnType<typeof client>["v1"]["probes"]["$post"]>[0]["json"];

const probesOf = (key?: string) => client(key).v1.probes;
const probeOf = (key: string) => probesOf(key)[":id"];

async function createProbe(key: string, body: ProbeRequest) {
  return (await expectStatus(await probesOf(key).$post({ query: {}, json: body }), 201)).probe;
}

const chat = (path: string, over: Partial<ProbeRequest> = {}): ProbeRequest => ({
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
const streaming = (path: string, over: Partial<ProbeRequest> = {}) =>
  chat(path, { extractor: { type: "sse", path: "choices.0.delta.content" }, ...over });

async function runs(key: string, id: string, query: { limit?: string; cursor?: string } = {}) {
  return expectStatus(await probeOf(key).runs.$get({ param: { id }, query }), 200);
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
    const list = await expectStatus(await probesOf(p.read).$get({ query: {} }), 200);
    expect(list.probes.map((x) => x.id)).toEqual([probe.id]);
    const got = await expectStatus(
      await probeOf(p.read).$get({ param: { id: probe.id }, query: {} }),
      200,
    );
    expect(got.probe).toEqual(probe);
    const texts = [JSON.stringify(list), JSON.stringify(got)];
    const audit = await env.DB.prepare("SELECT before, after FROM audit_log WHERE project_id = ?")
      .bind(p.id)
      .all();
    for (const t of [...texts, JSON.stringify(audit.results)])
      expect(t).not.toContain("0123456789abcdef");
    expect(texts[0]).toContain(probe.id);
  });

  it("answers 400 naming the field, 401 without a key, 403 for a read key, 404 for an unknown probe", async () => {
    const p = await createProject("probe-errors");
    const create = (key: string | undefined, json: ProbeRequest) =>
      probesOf(key).$post({ query: {}, json });
    const bad = await create(
      p.admin,
      chat("right", { assertions: [{ type: "regex", value: "(a)\\1" }] }),
    );
    expect((await expectStatus(bad, 400)).error.details).toMatchObject({
      issues: [{ path: "assertions.0.value", message: expect.stringContaining("backreferences") }],
    });
    const own = await create(p.admin, chat("right", { url: "http://127.0.0.1:8787/v1/events" }));
    const refused = await expectStatus(own, 400);
    expect(issuePath(refused)).toBe("url");
    // The same answer as an alert channel's refused URL (src/http/outbound-target.ts).
    expect(refused.error.message).toMatch(/^Invalid request body: url: /);
    expect((await create(undefined, chat("right"))).status).toBe(401);
    expect((await create(p.read, chat("right"))).status).toBe(403);
    const nope = { param: { id: "prb_nope" }, query: {} };
    expect((await probeOf(p.read).$get(nope)).status).toBe(404);
    expect((await probeOf(p.read).runs.$get(nope)).status).toBe(404);
    expect((await probeOf(p.admin).$patch({ ...nope, json: { enabled: false } })).status).toBe(404);
    expect((await probeOf(p.admin).$delete(nope)).status).toBe(404);
    // Path parameters are validated, and an unknown field is named.
    const badId = await call("/v1/probes/prb%20x", { key: p.read });
    expect(issuePath(await expectStatus(badId, 400))).toBe("id");
    const typo = await call("/v1/probes", {
      method: "POST",
      key: p.admin,
      json: { ...chat("right"), intervall: 5 },
    });
    expect(issuePath(await expectStatus(typo, 400))).toBe("intervall");
  });

  it("updates and deletes a probe (admin), keeping a secret that the update does not name", async () => {
    const p = await createProject("probe-update");
    const probe = await createProbe(
      p.admin,
      chat("right", { secret_headers: { "x-api-key": SECRET } }),
    );
    const patched = await probeOf(p.admin).$patch({
      param: { id: probe.id },
      query: {},
      json: { interval_minutes: 10, enabled: false },
    });
    expect(await expectStatus(patched, 200)).toMatchObject({
      probe: { interval_minutes: 10, enabled: false, secret_headers: { "x-api-key": "****CRET" } },
    });
    const row = await env.DB.prepare("SELECT secret_headers FROM probes WHERE id = ?")
      .bind(probe.id)
      .first<{ secret_headers: string }>();
    expect(JSON.parse(row?.secret_headers ?? "{}")).toEqual({ "x-api-key": SECRET });
    const it = { param: { id: probe.id }, query: {} };
    expect((await probeOf(p.read).$delete(it)).status).toBe(403);
    expect(await expectStatus(await probeOf(p.admin).$delete(it), 200)).toEqual({
      deleted: probe.id,
    });
    expect((await probeOf(p.read).$get(it)).status).toBe(404);
    const audit = await env.DB.prepare(
      "SELECT action, before, after FROM audit_log WHERE project_id = ? AND target = ? ORDER BY id",
    )
      .bind(p.id, probe.id)
      .all<{ action: string; before: string | null; after: string | null }>();
    expect(audit.results.map((r) => r.action)).toEqual([
      "probe.create",
      "probe.update",
      "probe.delete",
    ]);
    expect(JSON.parse(audit.results[1]?.after ?? "{}")).toMatchObject({
      interval_minutes: 10,
      enabled: false,
    });
    expect(JSON.stringify(audit.results)).not.toContain("0123456789abcdef");
  });
});

describe("PATCH and secrets (issue 21)", () => {
  const storedUrl = async (id: string) =>
    (
      await env.DB.prepare("SELECT definition FROM probes WHERE id = ?")
        .bind(id)
        .first<{ definition: string }>()
    )?.definition;

  it("answers 400 naming every stored secret header when a PATCH moves the URL to another origin, and 200 once they are given again", async () => {
    const p = await createProject("probe-origin");
    const probe = await createProbe(
      p.admin,
      chat("echo", { secret_headers: { authorization: `Bearer ${SECRET}`, "x-tenant": "t-1234" } }),
    );
    const elsewhere = `${inject("receiverUrl")}/hook/probe-origin`;
    type Patch = Parameters<ReturnType<typeof probeOf>["$patch"]>[0]["json"];
    const patch = (json: Patch) =>
      probeOf(p.admin).$patch({ param: { id: probe.id }, query: {}, json });
    const refused = await expectStatus(await patch({ url: elsewhere }), 400);
    expect(refused.error.details).toEqual({
      issues: [
        { path: "secret_headers.authorization", message: expect.stringContaining("origin") },
        { path: "secret_headers.x-tenant", message: expect.stringContaining("origin") },
      ],
    });
    expect(await storedUrl(probe.id)).toContain(`${ai}/ai/echo`);
    // The same origin keeps the secrets without naming them.
    await expectStatus(await patch({ url: `${ai}/ai/right` }), 200);
    const moved = await expectStatus(
      await patch({
        url: elsewhere,
        secret_headers: { Authorization: "Bearer other-key-0000", "x-tenant": null },
      }),
      200,
    );
    expect(moved.probe).toMatchObject({
      url: elsewhere,
      secret_headers: { authorization: "****0000" },
    });
    expect(Object.keys(moved.probe.secret_headers)).toEqual(["authorization"]);
  });

  it("a PATCH naming only the url keeps interval_minutes and timeout_ms", async () => {
    const p = await createProject("probe-patch-url");
    const probe = await createProbe(
      p.admin,
      chat("right", { interval_minutes: 7, timeout_ms: 9_000 }),
    );
    const res = await probeOf(p.admin).$patch({
      param: { id: probe.id },
      query: {},
      json: { url: `${ai}/ai/wrong` },
    });
    const { probe: after } = await expectStatus(res, 200);
    expect(after).toMatchObject({ url: `${ai}/ai/wrong`, interval_minutes: 7, timeout_ms: 9_000 });
    expect({ ...after, url: probe.url, updated_at: probe.updated_at }).toEqual(probe);
  });

  it("masks credential headers of any name, and the URL's password and query values, in answers and the audit log", async () => {
    const p = await createProject("probe-url-secrets");
    const url = `${ai.replace("//", "//robot:url-pass-5555@")}/ai/right?api-version=2024-02-01&code=query-secret-6666`;
    const probe = await createProbe(
      p.admin,
      chat("right", { url, headers: { "Ocp-Apim-Subscription-Key": "apim-key-7777777" } }),
    );
    expect(probe.url).toBe(
      `${ai.replace("//", "//****:****@")}/ai/right?api-version=2024-02-01&code=****`,
    );
    expect(probe.headers).toEqual({});
    expect(probe.secret_headers).toEqual({ "ocp-apim-subscription-key": "****7777" });
    await tick();
    const texts = [
      JSON.stringify(await expectStatus(await probesOf(p.read).$get({ query: {} }), 200)),
      JSON.stringify(await runs(p.read, probe.id)),
      JSON.stringify(
        (
          await env.DB.prepare("SELECT before, after FROM audit_log WHERE project_id = ?")
            .bind(p.id)
            .all()
        ).results,
      ),
    ].join("\n");
    for (const secret of ["url-pass-5555", "query-secret-6666", "apim-key-7777777"])
      expect(texts).not.toContain(secret);
    expect((await runs(p.read, probe.id)).runs[0]?.outcome).toBe("pass");
  });
});

describe("probe runs", () => {
  it("records each outcome correctly, one probe's failure never touching another's", async () => {
    const p = await createProject("probe-outcomes");
    const cases: [string, ProbeRequest][] = [
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
    const latest = async (name: string) => {
      const [run] = (await runs(p.read, ids.get(name) ?? "")).runs;
      if (!run) throw new Error(`no run of ${name}`);
      return run;
    };

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
      const res = await client(p.read).v1.incidents.$get({
        query: { deployment: slug, status: "firing,resolved" },
      });
      return (await expectStatus(res, 200)).incidents;
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
      JSON.stringify(await expectStatus(await probesOf(p.read).$get({ query: {} }), 200)),
      JSON.stringify(
        await expectStatus(
          await client(p.read).v1.incidents.$get({ query: { status: "firing,resolved" } }),
          200,
        ),
      ),
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
    const first = await runs(p.read, probe.id, { limit: "2" });
    expect(first.runs).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const second = await runs(p.read, probe.id, {
      limit: "2",
      cursor: first.next_cursor ?? undefined,
    });
    expect(second.runs).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    const all = [...first.runs, ...second.runs].map((r) => r.id);
    expect(new Set(all).size).toBe(3);
    expect(all).toEqual([...all].sort().reverse());
    const garbage = await probeOf(p.read).runs.$get({
      param: { id: probe.id },
      query: { cursor: "garbage" },
    });
    expect(issuePath(await expectStatus(garbage, 400))).toBe("cursor");
  });
});
