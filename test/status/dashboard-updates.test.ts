// The dashboard's incident update form: admins only, CSRF-checked like acknowledge, and
// checked like the API's body (a refusal is a page naming why, nothing written).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createProject, uniqueSlug } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { seedDeployment, seedIncident } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();

async function world() {
  const p = await createProject("dash-updates");
  const slug = uniqueSlug("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId,
    severity: "critical",
    metric: "error_rate",
    status: "firing",
    firingAt: NOW - 3_600_000,
  });
  return { p, incident, page: `/dashboard/d/production/${slug}` };
}

const updatesOf = async (incident: string) =>
  (
    await env.DB.prepare(
      "SELECT status, body, author FROM incident_updates WHERE incident_id = ? ORDER BY created_at",
    )
      .bind(incident)
      .all<{ status: string; body: string; author: string }>()
  ).results;

describe("dashboard incident updates", () => {
  it("shows admins the update form and posts it with the session's CSRF token", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const html = await (await get(page, admin)).text();
    expect(html).toContain(`action="/dashboard/incidents/${incident}/update"`);
    expect(html).toContain('maxlength="2000"');
    const res = await post(
      `/dashboard/incidents/${incident}/update`,
      { csrf: csrfOf(html), back: page, status: "identified", text: "Prompt v14 is the cause." },
      admin,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${page}#incident-${incident}`);
    const written = await updatesOf(incident);
    expect(written).toMatchObject([{ status: "identified", body: "Prompt v14 is the cause." }]);
    expect(written[0]?.author).toMatch(/^key:key_/);
  });

  it("refuses a missing or wrong CSRF token, a cross-site post and a read key, writing nothing", async () => {
    const { p, incident, page } = await world();
    const fields = { status: "identified", text: "x" };
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    const path = `/dashboard/incidents/${incident}/update`;
    expect((await post(path, fields, admin)).status).toBe(403);
    expect((await post(path, { ...fields, csrf: "wrong" }, admin)).status).toBe(403);
    expect((await post(path, { ...fields, csrf }, admin, "https://evil.example")).status).toBe(403);
    const reader = await dashboardCookie(p.read);
    const readerHtml = await (await get(page, reader)).text();
    expect(readerHtml).not.toContain(`/dashboard/incidents/${incident}/update`);
    const denied = await post(path, { ...fields, csrf: csrfOf(readerHtml) }, reader);
    expect(denied.status).toBe(403);
    expect(await updatesOf(incident)).toEqual([]);
  });

  it("answers 400 with the reason for markup or an unknown status, writing nothing", async () => {
    const { p, incident, page } = await world();
    const admin = await dashboardCookie(p.admin);
    const csrf = csrfOf(await (await get(page, admin)).text());
    const path = `/dashboard/incidents/${incident}/update`;
    const markup = await post(path, { csrf, status: "identified", text: "<b>x</b>" }, admin);
    expect(markup.status).toBe(400);
    expect(await markup.text()).toContain("plain text only");
    const status = await post(path, { csrf, status: "done", text: "x" }, admin);
    expect(status.status).toBe(400);
    expect(await updatesOf(incident)).toEqual([]);
  });
});
