// Settings → Status page on the dashboard: publish a page with two deployments under public
// names (the public page shows them), through the project operation the API uses, audited;
// a bad slug or an empty name beside its field, nothing saved; a slug another project uses
// (409); a stale form (409); remove the page; a read key refused (403).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { statusFieldOf, statusPageBody } from "../../src/status/dashboard/status-page-form";
import { createDeployment } from "../deployment-fixture";
import { call, createProject } from "../helpers";
import { get, post } from "./dashboard-form";
import { dashboardCookie } from "./sign-in";

const HOME = "/dashboard/settings/status-page";
let seq = 0;

const fieldOf = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";

async function world() {
  const p = await createProject("dash-status");
  // projectDeployments lists by environment, then slug: a- before b-.
  const a = await createDeployment(p.id, { slug: `a-${Date.now().toString(36)}${seq++}` });
  const b = await createDeployment(p.id, { slug: `b-${Date.now().toString(36)}${seq++}` });
  const cookie = await dashboardCookie(p.admin);
  const html = await (await get(HOME, cookie)).text();
  return { p, a, b, cookie, csrf: fieldOf(html, "csrf"), version: fieldOf(html, "version") };
}

const slug = () => `page-${Date.now().toString(36)}-${seq++}`;

const stored = async (projectId: string) => {
  const row = await env.DB.prepare("SELECT status_page, status_slug FROM projects WHERE id = ?")
    .bind(projectId)
    .first<{ status_page: string | null; status_slug: string | null }>();
  return row?.status_page ? JSON.parse(row.status_page) : null;
};

describe("dashboard status page settings", () => {
  it("publishes the page with the chosen deployments under their public names, audited", async () => {
    const { p, a, cookie, csrf, version } = await world();
    const s = slug();
    const res = await post(
      HOME,
      {
        csrf,
        version,
        slug: s,
        title: "Acme AI",
        enabled: "on",
        d0_show: "on",
        d0_name: "Support assistant",
        d0_group: "Assistants",
        d1_name: "x",
      },
      cookie,
    );
    expect(res.status).toBe(303);
    expect(await stored(p.id)).toMatchObject({
      slug: s,
      title: "Acme AI",
      enabled: true,
      deployments: [
        { environment: "production", slug: a.slug, name: "Support assistant", group: "Assistants" },
      ],
    });
    const audit = await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE project_id = ? AND action = 'project.update'",
    )
      .bind(p.id)
      .first<{ action: string; actor: string }>();
    expect(audit?.actor).toMatch(/^key:/);
    const page = await call(`/status/${s}`);
    expect(await page.text()).toContain("Support assistant");
  });

  it("shows a bad slug and an empty public name beside their fields, saving nothing", async () => {
    const { p, cookie, csrf, version } = await world();
    const res = await post(
      HOME,
      { csrf, version, slug: "Bad Slug!", title: "t", d1_show: "on", d1_name: " " },
      cookie,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="page-slug-error">lower-case letters/);
    expect(html).toMatch(/id="page-d1_name-error"/);
    expect(await stored(p.id)).toBeNull();
  });

  it("refuses a slug another project uses (409) and a form older than the settings (409)", async () => {
    const first = await world();
    const s = slug();
    await post(
      HOME,
      { csrf: first.csrf, version: first.version, slug: s, title: "One", enabled: "on" },
      first.cookie,
    );
    const second = await world();
    const taken = await post(
      HOME,
      { csrf: second.csrf, version: second.version, slug: s, title: "Two" },
      second.cookie,
    );
    expect(taken.status).toBe(409);
    expect(await taken.text()).toMatch(/id="page-slug-error">[^<]+ is used by another project/);
    const stale = await post(
      HOME,
      { csrf: first.csrf, version: first.version, slug: s, title: "Lost" },
      first.cookie,
    );
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("changed by someone else since you opened it");
    expect((await stored(first.p.id))?.title).toBe("One");
  });

  it("removes the page, freeing its address", async () => {
    const { p, cookie, csrf, version } = await world();
    const s = slug();
    await post(HOME, { csrf, version, slug: s, title: "Gone soon", enabled: "on" }, cookie);
    expect((await post(`${HOME}/remove`, { csrf }, cookie)).status).toBe(303);
    expect(await stored(p.id)).toBeNull();
    expect((await call(`/status/${s}`)).status).toBe(404);
  });

  it("refuses a read key's change (403)", async () => {
    const { p } = await world();
    const cookie = await dashboardCookie(p.read);
    const html = await (await get(HOME, cookie)).text();
    expect(html).not.toContain(">Save<");
    const res = await post(
      HOME,
      { csrf: fieldOf(html, "csrf"), version: fieldOf(html, "version"), slug: slug(), title: "t" },
      cookie,
    );
    expect(res.status).toBe(403);
    expect(await stored(p.id)).toBeNull();
  });

  it("maps a listed deployment's issue back to its form row", () => {
    const deployments = [
      { environment: "production", slug: "a" },
      { environment: "production", slug: "b" },
    ];
    const { rows } = statusPageBody({ d1_show: "on", d1_name: "B" }, deployments, undefined);
    expect(rows).toEqual([1]);
    expect(statusFieldOf(["deployments", 0, "name"], rows)).toBe("d1_name");
  });
});
