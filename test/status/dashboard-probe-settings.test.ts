// Settings → Probes on the dashboard: create a probe, edit its URL, interval, timeout and
// assertions, pause and resume it, delete it, all through the operations /v1/probes uses
// (src/http/probe-actions.ts) and audited the same; a bad field is shown beside it and
// nothing is saved; a new origin needs the secret headers again, as the API requires; a
// stale form is refused (409); a read key sees no forms and its post is refused (403); a
// post from another site is refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findProbe, updateProbe } from "../../src/http/probe-actions";
import { OperationError } from "../../src/shared/operation-error";
import { probeCreateBody, probeFieldOf } from "../../src/status/dashboard/probe-form";
import { call, createProject } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const HOME = "/dashboard/settings/probes";
let seq = 0;

const NEW = {
  name: "chat canary",
  environment: "production",
  url: "https://ai.example.com/v1/chat",
  method: "POST",
  headers: '{"content-type":"application/json"}',
  secret_headers: '{"authorization":"Bearer sk-secret-1234"}',
  body: '{"prompt":"ping"}',
  extractor: '{"type":"json","path":"$.answer"}',
  assertions: '[{"type":"contains","value":"pong"}]',
  interval_minutes: "5",
  timeout_ms: "10000",
  enabled: "on",
};

async function world() {
  const p = await createProject("dash-probes");
  const cookie = await dashboardCookie(p.admin);
  const csrf = csrfOf(await (await get(HOME, cookie)).text());
  return { p, cookie, csrf };
}

const probesOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT id, definition, secret_headers, enabled, updated_at FROM probes WHERE project_id = ?",
    )
      .bind(projectId)
      .all<{
        id: string;
        definition: string;
        secret_headers: string;
        enabled: number;
        updated_at: number;
      }>()
  ).results.map((r) => ({
    ...r,
    definition: JSON.parse(r.definition) as Record<string, unknown>,
    secretHeaders: JSON.parse(r.secret_headers) as Record<string, string>,
  }));

const auditOf = async (projectId: string, action: string) =>
  (
    await env.DB.prepare(
      "SELECT actor, target, after FROM audit_log WHERE project_id = ? AND action = ?",
    )
      .bind(projectId, action)
      .all<{ actor: string; target: string; after: string | null }>()
  ).results;

async function created(w: Awaited<ReturnType<typeof world>>) {
  const deployment = `canary-${seq++}`;
  const res = await post(HOME, { ...NEW, deployment, csrf: w.csrf }, w.cookie);
  expect(res.status).toBe(303);
  const [probe] = await probesOf(w.p.id);
  if (!probe) throw new Error("no probe");
  return { probe, deployment };
}

const edit = (probe: { updated_at: number }, more: Record<string, string> = {}) => ({
  name: "chat canary",
  url: "https://ai.example.com/v1/chat",
  method: "POST",
  headers: '{"content-type":"application/json"}',
  secret_headers: "",
  body: '{"prompt":"ping"}',
  extractor: '{"type":"json","path":"$.answer"}',
  assertions: '[{"type":"contains","value":"pong"}]',
  interval_minutes: "5",
  timeout_ms: "10000",
  enabled: "on",
  version: String(probe.updated_at),
  ...more,
});

describe("dashboard probe settings", () => {
  it("creates a probe from the form, its secret stored but never shown, audited as the key", async () => {
    const w = await world();
    const { probe, deployment } = await created(w);
    expect(probe.definition).toMatchObject({
      name: "chat canary",
      deployment,
      url: "https://ai.example.com/v1/chat",
      body: { prompt: "ping" },
      assertions: [{ type: "contains", value: "pong" }],
    });
    expect(probe.secretHeaders).toEqual({ authorization: "Bearer sk-secret-1234" });
    const [audit] = await auditOf(w.p.id, "probe.create");
    expect(audit?.target).toBe(probe.id);
    expect(audit?.actor).toMatch(/^key:/);
    expect(audit?.after).not.toContain("sk-secret");
    const html = await (await get(HOME, w.cookie)).text();
    expect(html).toContain("chat canary");
    expect(html).toContain("secret headers: authorization");
    expect(html).not.toContain("sk-secret-1234");
    // The list links to each probe's form; the form is on the probe's own page.
    expect(html).toContain(`href="${HOME}/${probe.id}"`);
    expect(html).not.toContain(`action="${HOME}/${probe.id}"`);
    const form = await (await get(`${HOME}/${probe.id}`, w.cookie)).text();
    expect(form).toContain(`action="${HOME}/${probe.id}"`);
    expect(form).toContain('value="https://ai.example.com/v1/chat"');
    expect(form).not.toContain("sk-secret-1234");
    expect((await get(`${HOME}/prb_none`, w.cookie)).status).toBe(404);
  });

  it("shows a malformed JSON field and a schema refusal beside their fields and saves nothing", async () => {
    const w = await world();
    const res = await post(
      HOME,
      { ...NEW, deployment: "x1", assertions: "[{", timeout_ms: "50", csrf: w.csrf },
      w.cookie,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="new-assertions-error"[^>]*>not valid JSON/);
    expect(html).toContain('id="new-timeout_ms-error"');
    expect(await probesOf(w.p.id)).toEqual([]);
  });

  it("edits the URL, interval, timeout and assertions through the shared operation, audited", async () => {
    const w = await world();
    const { probe } = await created(w);
    const res = await post(
      `${HOME}/${probe.id}`,
      edit(probe, {
        url: "https://ai.example.com/v2/chat",
        interval_minutes: "15",
        timeout_ms: "20000",
        assertions: '[{"type":"contains","value":"pong"},{"type":"is-json"}]',
        csrf: w.csrf,
      }),
      w.cookie,
    );
    expect(res.status).toBe(303);
    const [after] = await probesOf(w.p.id);
    expect(after?.definition).toMatchObject({
      url: "https://ai.example.com/v2/chat",
      interval_minutes: 15,
      timeout_ms: 20000,
    });
    expect(after?.definition.assertions).toHaveLength(2);
    // Same origin: the secret is kept without being given again.
    expect(after?.secretHeaders).toEqual({ authorization: "Bearer sk-secret-1234" });
    expect(await auditOf(w.p.id, "probe.update")).toHaveLength(1);
  });

  it("sets the alert policy from the form and shows it again on the probe's edit page", async () => {
    const w = await world();
    const deployment = `canary-${seq++}`;
    const policy = { alert_consecutive: "4", alert_failures: "3", alert_runs: "5" };
    const fields = { ...NEW, ...policy, alert_severity: "warning", deployment, csrf: w.csrf };
    expect((await post(HOME, fields, w.cookie)).status).toBe(303);
    const [probe] = await probesOf(w.p.id);
    expect(probe?.definition.alert).toEqual({
      consecutive: 4,
      failures: 3,
      runs: 5,
      severity: "warning",
    });
    const form = await (await get(`${HOME}/${probe?.id}`, w.cookie)).text();
    expect(form).toMatch(/name="alert_failures" type="number" value="3"/);
    expect(form).toMatch(/<option value="warning" selected="">warning<\/option>/);
    // Emptying failures and runs leaves the streak alone, audited as an update.
    if (!probe) throw new Error("no probe");
    const edited = edit(probe, {
      alert_consecutive: "3",
      alert_failures: "",
      alert_runs: "",
      alert_severity: "critical",
      csrf: w.csrf,
    });
    expect((await post(`${HOME}/${probe.id}`, edited, w.cookie)).status).toBe(303);
    const [after] = await probesOf(w.p.id);
    expect(after?.definition.alert).toEqual({ consecutive: 3, severity: "critical" });
    expect(await auditOf(w.p.id, "probe.update")).toHaveLength(1);
  });

  it("refuses a policy the API refuses, beside its field, saving nothing", async () => {
    const w = await world();
    const deployment = `canary-${seq++}`;
    const bad = async (policy: Record<string, string>) => {
      const res = await post(HOME, { ...NEW, ...policy, deployment, csrf: w.csrf }, w.cookie);
      expect(res.status).toBe(400);
      return res.text();
    };
    expect(await bad({ alert_failures: "3" })).toMatch(
      /id="new-alert_failures-error"[^>]*>give failures and runs together/,
    );
    expect(await bad({ alert_failures: "6", alert_runs: "5" })).toMatch(
      /id="new-alert_failures-error"[^>]*>failures must not exceed runs/,
    );
    const zero = await bad({ alert_consecutive: "0" });
    expect(zero).toContain('id="new-alert_consecutive-error"');
    // What was typed stays in the form.
    expect(zero).toMatch(/name="alert_consecutive" type="number" value="0"/);
    expect(await probesOf(w.p.id)).toEqual([]);
    // The API answers the same policy with the same message.
    const api = await call("/v1/probes", {
      method: "POST",
      key: w.p.admin,
      json: {
        name: "canary",
        deployment,
        url: NEW.url,
        extractor: { type: "json", path: "$.answer" },
        alert: { consecutive: 2, failures: 6, runs: 5 },
      },
    });
    expect(api.status).toBe(400);
    expect(JSON.stringify(await api.json())).toContain("failures must not exceed runs");
  });

  it("refuses a new origin until the secret headers are given again, as the API does", async () => {
    const w = await world();
    const { probe } = await created(w);
    const moved = edit(probe, { url: "https://other.example.net/v1/chat", csrf: w.csrf });
    const refused = await post(`${HOME}/${probe.id}`, moved, w.cookie);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/id="[^"]+-secret_headers-error"[^>]*>the URL moves/);
    expect((await probesOf(w.p.id))[0]?.definition.url).toBe("https://ai.example.com/v1/chat");
    const renewed = await post(
      `${HOME}/${probe.id}`,
      { ...moved, secret_headers: '{"authorization":"Bearer sk-other-5678"}' },
      w.cookie,
    );
    expect(renewed.status).toBe(303);
    const [after] = await probesOf(w.p.id);
    expect(after?.definition.url).toBe("https://other.example.net/v1/chat");
    expect(after?.secretHeaders).toEqual({ authorization: "Bearer sk-other-5678" });
  });

  it("refuses a stale edit (409) and keeps the other change", async () => {
    const w = await world();
    const { probe } = await created(w);
    const first = await post(
      `${HOME}/${probe.id}`,
      edit(probe, { interval_minutes: "10", csrf: w.csrf }),
      w.cookie,
    );
    expect(first.status).toBe(303);
    const second = await post(
      `${HOME}/${probe.id}`,
      edit(probe, { interval_minutes: "30", csrf: w.csrf }),
      w.cookie,
    );
    expect(second.status).toBe(409);
    expect(await second.text()).toContain("changed by someone else");
    expect((await probesOf(w.p.id))[0]?.definition.interval_minutes).toBe(10);
    expect(await auditOf(w.p.id, "probe.update")).toHaveLength(1);
  });

  it("lets only one of two edits made from the same read land (the API's path too)", async () => {
    const w = await world();
    const { probe } = await created(w);
    const by = {
      env,
      who: { actor: "key:test", actorName: null, requestId: "test" },
      projectId: w.p.id,
    };
    const before = await findProbe(env.DB, w.p.id, probe.id);
    await updateProbe(by, before, { interval_minutes: 10 });
    await expect(updateProbe(by, before, { interval_minutes: 30 })).rejects.toBeInstanceOf(
      OperationError,
    );
    expect((await probesOf(w.p.id))[0]?.definition.interval_minutes).toBe(10);
    expect(await auditOf(w.p.id, "probe.update")).toHaveLength(1);
  });

  it("pauses and resumes a probe, each audited", async () => {
    const w = await world();
    const { probe } = await created(w);
    const paused = await post(
      `${HOME}/${probe.id}/pause`,
      { version: String(probe.updated_at), csrf: w.csrf },
      w.cookie,
    );
    expect(paused.status).toBe(303);
    const [p1] = await probesOf(w.p.id);
    expect(p1?.enabled).toBe(0);
    expect(await (await get(HOME, w.cookie)).text()).toContain(">Resume</button>");
    const resumed = await post(
      `${HOME}/${probe.id}/resume`,
      { version: String(p1?.updated_at), csrf: w.csrf },
      w.cookie,
    );
    expect(resumed.status).toBe(303);
    expect((await probesOf(w.p.id))[0]?.enabled).toBe(1);
    expect(await auditOf(w.p.id, "probe.update")).toHaveLength(2);
  });

  it("deletes a probe, audited", async () => {
    const w = await world();
    const { probe } = await created(w);
    const res = await post(`${HOME}/${probe.id}/delete`, { csrf: w.csrf }, w.cookie);
    expect(res.status).toBe(303);
    expect(await probesOf(w.p.id)).toEqual([]);
    const [audit] = await auditOf(w.p.id, "probe.delete");
    expect(audit?.target).toBe(probe.id);
  });

  it("keeps the settings page under 64 KB with 50 probes, the default limit", async () => {
    const w = await world();
    let id = "";
    for (let i = 0; i < 50; i++) {
      const res = await call("/v1/probes", {
        method: "POST",
        key: w.p.admin,
        json: {
          name: `probe ${i}`,
          deployment: "size",
          url: "https://ai.example.com/v1/chat",
          headers: { "content-type": "application/json" },
          secret_headers: { authorization: "Bearer sk-abcdefgh" },
          body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say pong" }] },
          extractor: { type: "json", path: "$.answer" },
          assertions: [{ type: "contains", value: "pong" }],
        },
      });
      id = ((await res.json()) as { probe: { id: string } }).probe.id;
    }
    const list = await (await get(HOME, w.cookie)).text();
    const one = await (await get(`${HOME}/${id}`, w.cookie)).text();
    expect(list.match(/>Delete</g)).toHaveLength(50);
    const size = (html: string) => new TextEncoder().encode(html).length;
    console.log(
      `probe settings, 50 probes: ${size(list)} B; one probe's edit page: ${size(one)} B`,
    );
    expect(size(list)).toBeLessThan(64 * 1024);
    expect(size(one)).toBeLessThan(64 * 1024);
  });

  it("shows a read key no forms and refuses its post (403)", async () => {
    const w = await world();
    const { probe } = await created(w);
    const cookie = await dashboardCookie(w.p.read);
    const html = await (await get(HOME, cookie)).text();
    expect(html).toContain("chat canary");
    expect(html).not.toContain(`action="${HOME}`);
    const csrf = csrfOf(html);
    const res = await post(`${HOME}/${probe.id}/delete`, { csrf }, cookie);
    expect(res.status).toBe(403);
    expect(await probesOf(w.p.id)).toHaveLength(1);
  });

  it("refuses a post from another site and one without the session's token", async () => {
    const w = await world();
    const { probe } = await created(w);
    const cross = await post(
      `${HOME}/${probe.id}/delete`,
      { csrf: w.csrf },
      w.cookie,
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    const tokenless = await post(`${HOME}/${probe.id}/delete`, { csrf: "nope" }, w.cookie);
    expect(tokenless.status).toBe(403);
    expect(await probesOf(w.p.id)).toHaveLength(1);
  });
});

describe("probe form (pure)", () => {
  it("turns JSON fields into values and reports the ones that do not parse", () => {
    const { body, errors } = probeCreateBody({ ...NEW, deployment: "d", headers: "{x" });
    expect(errors).toEqual({ headers: "not valid JSON" });
    expect(body).toMatchObject({ interval_minutes: 5, body: { prompt: "ping" }, enabled: true });
    // Without the policy's fields the body names no policy (the stored one is kept).
    expect(body).not.toHaveProperty("alert");
    const typed = probeCreateBody({ ...NEW, alert_consecutive: "", alert_severity: "warning" });
    expect(typed.body.alert).toEqual({ severity: "warning" });
  });

  it("shows an issue beside the field its path starts with", () => {
    expect(probeFieldOf(["assertions", 0, "max_ms"])).toBe("assertions");
    expect(probeFieldOf("secret_headers.authorization")).toBe("secret_headers");
    expect(probeFieldOf([])).toBe("_");
    expect(probeFieldOf(["alert", "runs"])).toBe("alert_runs");
    expect(probeFieldOf("alert.failures")).toBe("alert_failures");
    expect(probeFieldOf(["alert"])).toBe("alert_consecutive");
  });
});
