// Settings → Channels on the dashboard: create (secret shown once), edit, send a test
// (delivered to a real local receiver), delete; each through the channel operations the
// API uses, audited; invalid values shown beside their field with nothing saved; a stale
// edit refused; read keys and cross-site posts refused.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { createProject, waitFor } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const receiver = inject("receiverUrl");
const HOME = "/dashboard/settings/channels";
let seq = 0;
const hookName = () => `dash${Date.now().toString(36)}${seq++}`;

const channelsOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT id, type, name, url, secret, enabled FROM channels WHERE project_id = ?",
    )
      .bind(projectId)
      .all<{
        id: string;
        type: string;
        name: string;
        url: string;
        secret: string | null;
        enabled: number;
      }>()
  ).results;

const auditOf = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE project_id = ? AND action LIKE 'channel.%' ORDER BY id",
    )
      .bind(projectId)
      .all<{ action: string; actor: string }>()
  ).results;

async function admin() {
  const p = await createProject("dash-channels");
  const cookie = await dashboardCookie(p.admin);
  const csrf = csrfOf(await (await get(HOME, cookie)).text());
  return { p, cookie, csrf };
}

describe("dashboard channel settings", () => {
  it("creates a webhook channel, showing its signing secret once, audited as the key", async () => {
    const { p, cookie, csrf } = await admin();
    const url = `${receiver}/hook/${hookName()}`;
    const res = await post(HOME, { csrf, type: "webhook", name: "On-call", url }, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const [row] = await channelsOf(p.id);
    expect(row).toMatchObject({ type: "webhook", name: "On-call", url, enabled: 1 });
    expect(row?.secret).toMatch(/^whsec_/);
    expect(html).toContain(`<code id="created-secret">${row?.secret}</code>`);
    // Shown once: the page read again masks it.
    expect(await (await get(HOME, cookie)).text()).not.toContain(row?.secret ?? "?");
    expect(await auditOf(p.id)).toEqual([
      { action: "channel.create", actor: expect.stringMatching(/^key:/) },
    ]);
  });

  it("shows each invalid field's error beside it and saves nothing (400)", async () => {
    const { p, cookie, csrf } = await admin();
    const bad = await post(HOME, { csrf, type: "webhook", name: " ", url: "ftp://x" }, cookie);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toMatch(/id="new-name"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/id="new-url-error">must be an http\(s\) URL/);
    expect(html).toContain('value="ftp://x"');
    const slack = await post(
      HOME,
      {
        csrf,
        type: "slack",
        name: "s",
        url: "https://hooks.slack.com/services/T/B/x",
        secret: "whsec_AAAAAAAAAAAAAAAAAAAA",
      },
      cookie,
    );
    expect(slack.status).toBe(400);
    expect(await slack.text()).toMatch(
      /id="new-secret-error">Slack channels take no signing secret/,
    );
    expect(await channelsOf(p.id)).toEqual([]);
    expect(await auditOf(p.id)).toEqual([]);
  });

  it("edits a channel, and refuses an edit from a page older than the channel (409)", async () => {
    const { p, cookie, csrf } = await admin();
    await post(
      HOME,
      { csrf, type: "slack", name: "Alerts", url: `${receiver}/hook/${hookName()}` },
      cookie,
    );
    const [ch] = await channelsOf(p.id);
    const id = ch?.id ?? "";
    const html = await (await get(HOME, cookie)).text();
    const version =
      new RegExp(`action="${HOME}/${id}"[\\s\\S]*?name="version" value="([^"]+)"`).exec(
        html,
      )?.[1] ?? "";
    const saved = await post(
      `${HOME}/${id}`,
      { csrf, version, name: "Alerts (prod)", url: "" },
      cookie,
    );
    expect(saved.status).toBe(303);
    expect((await channelsOf(p.id))[0]).toMatchObject({ name: "Alerts (prod)", enabled: 0 });
    // The same (now stale) page posts again: refused, saying why, nothing lost.
    const stale = await post(
      `${HOME}/${id}`,
      { csrf, version, name: "Overwrite", enabled: "on" },
      cookie,
    );
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("was changed by someone else since you opened it");
    expect((await channelsOf(p.id))[0]?.name).toBe("Alerts (prod)");
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual([
      "channel.create",
      "channel.update",
    ]);
  });

  it("sends a test that the receiver gets, then deletes the channel", async () => {
    const { p, cookie, csrf } = await admin();
    const name = hookName();
    await post(
      HOME,
      { csrf, type: "slack", name: "Test me", url: `${receiver}/hook/${name}` },
      cookie,
    );
    const id = (await channelsOf(p.id))[0]?.id ?? "";
    const sent = await post(`${HOME}/${id}/test`, { csrf }, cookie);
    expect(sent.status).toBe(303);
    const delivery = /sent=([^&#]+)/.exec(sent.headers.get("location") ?? "")?.[1] ?? "";
    expect(await (await get(sent.headers.get("location") ?? "", cookie)).text()).toContain(
      `Test notification queued (delivery ${delivery})`,
    );
    const got = await waitFor(
      async () => (await (await fetch(`${receiver}/__received/${name}`)).json()) as unknown[],
      (r) => r.length === 1,
      20_000,
    );
    expect(got).toHaveLength(1);
    const gone = await post(`${HOME}/${id}/delete`, { csrf }, cookie);
    expect(gone.status).toBe(303);
    expect(await channelsOf(p.id)).toEqual([]);
    expect((await auditOf(p.id)).map((a) => a.action)).toEqual([
      "channel.create",
      "channel.delete",
    ]);
  });

  it("refuses a read key's post (403) and a cross-site post, and shows a read key no forms", async () => {
    const { p, cookie, csrf } = await admin();
    const url = `${receiver}/hook/${hookName()}`;
    expect(
      (await post(HOME, { csrf, type: "slack", name: "x", url }, cookie, "https://evil.example"))
        .status,
    ).toBe(403);
    const reader = await dashboardCookie(p.read);
    const html = await (await get(HOME, reader)).text();
    expect(html).not.toContain(`action="${HOME}"`);
    const denied = await post(HOME, { csrf: csrfOf(html), type: "slack", name: "x", url }, reader);
    expect(denied.status).toBe(403);
    expect(await channelsOf(p.id)).toEqual([]);
  });
});
