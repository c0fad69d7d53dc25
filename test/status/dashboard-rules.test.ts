// Settings → Rules on the dashboard: create, edit (a default becomes an override), delete,
// each through the rule operations the API uses, audited; invalid values shown beside their
// field with nothing saved; a stale edit refused (409); the preview re-runs a typed rule over
// the deployment's stored hours, saving nothing; read keys and cross-site posts refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findRule, replaceRule } from "../../src/alerts/rules/rule-actions";
import type { ArchivedEvent } from "../../src/archive/layout";
import { HOUR_MS, hourOf } from "../../src/shared/time";
import { createDeployment, ingestInto } from "../deployment-fixture";
import { createProject } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const HOME = "/dashboard/settings/rules";
let seq = 0;

const versionOf = (html: string, id: string) =>
  new RegExp(`data-rule="${id}"[\\s\\S]*?name="version" value="([^"]+)"`).exec(html)?.[1] ?? "";

const storedRules = async (projectId: string) =>
  (
    await env.DB.prepare("SELECT id, definition FROM rules WHERE project_id = ?")
      .bind(projectId)
      .all<{ id: string; definition: string }>()
  ).results;

const auditOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT action, actor, target FROM audit_log WHERE project_id = ? AND action LIKE 'rule.%' ORDER BY id",
    )
      .bind(projectId)
      .all<{ action: string; actor: string; target: string }>()
  ).results;

/** A static error-rate rule as the new-rule form posts it. */
const staticRule = (extra: Record<string, string> = {}) => ({
  name: "Errors over 30 %",
  metric: "error_rate",
  test: "static",
  threshold: "0.3",
  direction: "up",
  min_samples: "5",
  window_minutes: "15",
  for_minutes: "5",
  repeat_interval_minutes: "240",
  severity: "critical",
  no_data: "ignore",
  send_resolved: "on",
  enabled: "on",
  ...extra,
});

async function admin() {
  const p = await createProject("dash-rules");
  const cookie = await dashboardCookie(p.admin);
  const csrf = csrfOf(await (await get(HOME, cookie)).text());
  return { p, cookie, csrf };
}

describe("dashboard rule settings", () => {
  it("creates a custom rule through the rule operations, audited as the session's key", async () => {
    const { p, cookie, csrf } = await admin();
    const res = await post(HOME, { csrf, intent: "save", ...staticRule() }, cookie);
    expect(res.status).toBe(303);
    const [row] = await storedRules(p.id);
    expect(JSON.parse(row?.definition ?? "{}")).toMatchObject({
      name: "Errors over 30 %",
      test: "static",
      threshold: 0.3,
      severity: "critical",
    });
    const [entry] = await auditOf(p.id);
    expect(entry).toMatchObject({ action: "rule.create", target: row?.id });
    expect(entry?.actor).toMatch(/^key:/);
    const page = await (await get(HOME, cookie)).text();
    expect(page).toContain("Errors over 30 %");
  });

  it("shows a refused threshold beside its field with what was typed, saving nothing", async () => {
    const { p, cookie, csrf } = await admin();
    const res = await post(
      HOME,
      {
        csrf,
        intent: "save",
        ...staticRule({
          test: "ratio",
          metric: "cost_per_request",
          threshold: "0.5",
          direction: "",
        }),
      },
      cookie,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="new-threshold-error">must be a ratio &gt; 1 for ratio/);
    expect(html).toMatch(/id="new-threshold"[^>]*value="0.5"/);
    expect(await storedRules(p.id)).toHaveLength(0);
  });

  it("refuses a metric the test does not apply to, beside the test field", async () => {
    const { cookie, csrf } = await admin();
    const res = await post(HOME, { csrf, intent: "save", ...staticRule({ test: "psi" }) }, cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/id="new-test-error">test &quot;psi&quot; does not apply/);
  });

  it("previews a typed rule over the deployment's stored hours and saves nothing", async () => {
    const { p, cookie, csrf } = await admin();
    const d = await createDeployment(p.id);
    const now = Date.now();
    const events: ArchivedEvent[] = [];
    // 20 hours of 10 interactions; hours 3–5 and 10 ago at 50 % errors: two firings.
    for (let h = 1; h <= 20; h++) {
      for (let k = 0; k < 10; k++) {
        const bad = (h >= 3 && h <= 5) || h === 10;
        events.push({
          type: "interaction",
          id: `r${seq++}-${now}`,
          deployment: d.slug,
          environment: "production",
          ts: hourOf(now) - h * HOUR_MS + 60_000,
          status: bad && k < 5 ? "error" : "ok",
          received_at: now,
        } as ArchivedEvent);
      }
    }
    await ingestInto(p.id, d, events);
    const res = await post(
      HOME,
      { csrf, intent: "preview", range: "24h", ...staticRule() },
      cookie,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Preview: the new rule as typed, last 24h");
    expect(html).toMatch(
      new RegExp(
        `data-preview-deployment="${d.slug}" data-firings="2"[^>]*><b>${d.slug}</b> \\(production\\): would have fired 2 times \\(4 of 20 decided hours breaching, of 24\\)`,
      ),
    );
    // The form keeps what was typed, and nothing was stored.
    expect(html).toMatch(/id="new-name"[^>]*value="Errors over 30 %"/);
    expect(await storedRules(p.id)).toHaveLength(0);
    expect(await auditOf(p.id)).toHaveLength(0);
  });

  it("previews a stored rule for a read key by link, over 7 days", async () => {
    const p = await createProject("dash-rules-read");
    const cookie = await dashboardCookie(p.read);
    const res = await get(`${HOME}?preview=default:error_rate&range=7d`, cookie);
    const html = await res.text();
    expect(html).toContain('data-preview="7d"');
    expect(html).toContain("The rule covers no deployment of this project yet.");
    expect(html).not.toContain("New rule");
  });

  it("edits a default into an override, and refuses an edit from a page older than the rule (409)", async () => {
    const { p, cookie, csrf } = await admin();
    const id = "default:error_rate";
    const html = await (await get(HOME, cookie)).text();
    const version = versionOf(html, id);
    expect(version).not.toBe("");
    const form = (name: string) => ({
      csrf,
      version,
      intent: "save",
      name,
      metric: "error_rate",
      test: "z_test",
      threshold: "5",
      min_samples: "50",
      window_minutes: "15",
      for_minutes: "5",
      repeat_interval_minutes: "240",
      severity: "critical",
      no_data: "ignore",
      send_resolved: "on",
      enabled: "on",
    });
    const first = await post(
      `${HOME}/${encodeURIComponent(id)}`,
      form("Errors (stricter)"),
      cookie,
    );
    expect(first.status).toBe(303);
    const stale = await post(`${HOME}/${encodeURIComponent(id)}`, form("Lost edit"), cookie);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("was changed by someone else since you opened it");
    const rows = await storedRules(p.id);
    expect(rows.map((r) => r.id)).toEqual([id]);
    expect(JSON.parse(rows[0]?.definition ?? "{}")).toMatchObject({
      name: "Errors (stricter)",
      threshold: 5,
    });
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual(["rule.update"]);
    // Restoring the default deletes the override, audited.
    const restore = await post(`${HOME}/${encodeURIComponent(id)}/delete`, { csrf }, cookie);
    expect(restore.status).toBe(303);
    expect(restore.headers.get("location")).toContain("restored");
    expect(await storedRules(p.id)).toHaveLength(0);
  });

  it("lets only one of two concurrent edits of the same rule land", async () => {
    const { p } = await admin();
    const who = { actor: "root", actorName: null, requestId: "t" };
    const by = { db: env.DB, who, projectId: p.id };
    const before = await findRule(env.DB, p.id, "default:cost_per_request");
    await replaceRule(by, before, { ...before.rule, name: "first" });
    // The second was read before the first landed: refused, not silently overwriting.
    await expect(replaceRule(by, before, { ...before.rule, name: "second" })).rejects.toThrow(
      /changed meanwhile/,
    );
    const now = await findRule(env.DB, p.id, "default:cost_per_request");
    await replaceRule(by, now, { ...now.rule, name: "third" });
    await expect(replaceRule(by, now, { ...now.rule, name: "fourth" })).rejects.toThrow(
      /changed meanwhile/,
    );
    expect((await findRule(env.DB, p.id, "default:cost_per_request")).rule.name).toBe("third");
    expect((await auditOf(p.id)).length).toBe(2);
  });

  it("refuses a read key's post (403) and a cross-site post (403), saving nothing", async () => {
    const p = await createProject("dash-rules-refused");
    const cookie = await dashboardCookie(p.read);
    const csrf = csrfOf(await (await get(HOME, cookie)).text());
    const read = await post(HOME, { csrf, intent: "save", ...staticRule() }, cookie);
    expect(read.status).toBe(403);
    expect(await read.text()).toContain("Changing rules need an admin key.");
    const adminCookie = await dashboardCookie(p.admin);
    const adminCsrf = csrfOf(await (await get(HOME, adminCookie)).text());
    const cross = await post(
      HOME,
      { csrf: adminCsrf, ...staticRule() },
      adminCookie,
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    expect(await storedRules(p.id)).toHaveLength(0);
  });
});
