import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { incidentDashboardUrl } from "../../src/shared/dashboard-links";
import { BASE, call, createProject, uniqueSlug } from "../helpers";
import { csrfOf, get, post } from "./dashboard-form";
import { seedDeployment, seedHours, seedIncident, seedRelease } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();
const HOUR = 3_600_000;

async function world() {
  const p = await createProject("dash");
  const slug = uniqueSlug("bot");
  const id = await seedDeployment(p.id, slug, NOW);
  await seedHours(id, NOW, 48);
  await seedRelease(id, "v13", NOW - 20 * 24 * HOUR);
  await seedRelease(id, "v14", NOW - 3 * HOUR);
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId: id,
    severity: "critical",
    metric: "thumbs_down_rate",
    status: "firing",
    firingAt: NOW - HOUR,
  });
  return { p, slug, incident, page: `/dashboard/d/production/${slug}` };
}

describe("dashboard sign-in", () => {
  it("shows the sign-in form without a session, with private caching and no script", async () => {
    const res = await call("/dashboard");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain('action="/dashboard/sign-in"');
    expect(html).not.toContain("<script");
  });

  it("sets an HttpOnly, SameSite=Strict cookie that holds no key", async () => {
    const { p } = await world();
    const res = await post("/dashboard/sign-in", { key: p.read });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^dw_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain(p.read);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM dashboard_sessions WHERE project_id = ?",
    )
      .bind(p.id)
      .first<{ n: number }>();
    expect(stored?.n).toBe(1);
  });

  it("refuses unknown keys (401), ingest-only keys (403) and cross-site posts (403)", async () => {
    const { p } = await world();
    expect((await post("/dashboard/sign-in", { key: "dw_read_nope" })).status).toBe(401);
    const ingest = await post("/dashboard/sign-in", { key: p.ingest });
    expect(ingest.status).toBe(403);
    expect(await ingest.text()).toContain("can only send events");
    const cross = await post(
      "/dashboard/sign-in",
      { key: p.read },
      undefined,
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    expect(cross.headers.get("set-cookie")).toBeNull();
  });

  it("signs out: the session is deleted and the cookie cleared", async () => {
    const { p } = await world();
    const cookie = await dashboardCookie(p.read);
    const html = await (await get("/dashboard", cookie)).text();
    expect((await post("/dashboard/sign-out", { csrf: "wrong" }, cookie)).status).toBe(403);
    const out = await post("/dashboard/sign-out", { csrf: csrfOf(html) }, cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^dw_session=;/);
    expect(await (await get("/dashboard", cookie)).text()).toContain("Sign in to the dashboard");
  });

  it("sends a signed-out deployment link to sign-in and back to it afterwards", async () => {
    const { p, page } = await world();
    const res = await get(`${page}?incident=x`, "");
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toBe(`/dashboard?next=${encodeURIComponent(`${page}?incident=x`)}`);
    const form = await (await call(location)).text();
    expect(form).toContain(`name="next" value="${page}?incident=x"`);
    const signed = await post("/dashboard/sign-in", { key: p.read, next: `${page}?incident=x` });
    expect(signed.headers.get("location")).toBe(`${page}?incident=x`);
    const evil = await post("/dashboard/sign-in", { key: p.read, next: "//evil.example/x" });
    expect(evil.headers.get("location")).toBe("/dashboard");
  });
});

describe("dashboard pages", () => {
  it("lists the project's deployments with state and figures", async () => {
    const { p, slug } = await world();
    const html = await (await get("/dashboard", await dashboardCookie(p.read))).text();
    expect(html).toContain(`href="/dashboard/d/production/${slug}"`);
    // A critical thumbs-down incident degrades; only failing answers are an outage.
    expect(html).toMatch(/class="state degraded"/);
    expect(html).toContain("1 open incident");
    expect(html).toContain("Thumbs-down");
    // Five tiles in order, each with a value, a change line and a sparkline.
    const labels = [...html.matchAll(/<div class="tile"><div class="k">([^<]+)<\/div>/g)].map(
      (m) => m[1],
    );
    expect(labels).toEqual([
      "Requests",
      "Error rate",
      "Latency p95",
      "Thumbs-down",
      "Cost / request",
    ]);
    expect(html.match(/<div class="d( up)?">[^<]+<\/div>/g)?.length).toBe(5);
  });

  it("draws the release marker on every chart and lists the incident without buttons for a read key", async () => {
    const { p, page, incident } = await world();
    const html = await (await get(page, await dashboardCookie(p.read))).text();
    const charts = html.match(/<figure class="chart/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(9);
    expect(html.match(/class="mk"/g)?.length).toBe(charts.length);
    expect(html).toContain("prompt v13 → v14");
    expect(html).toContain(`id="incident-${incident}"`);
    expect(html).not.toContain("Acknowledge</button>");
    expect(html).not.toContain("/silence");
  });

  it("lets an admin acknowledge and silence with the session's CSRF token, and refuses a read key", async () => {
    const { p, page, incident } = await world();
    const reader = await dashboardCookie(p.read);
    const readerHtml = await (await get(page, reader)).text();
    const denied = await post(
      `/dashboard/incidents/${incident}/ack`,
      { csrf: csrfOf(readerHtml) },
      reader,
    );
    expect(denied.status).toBe(403);
    const admin = await dashboardCookie(p.admin);
    const html = await (await get(page, admin)).text();
    expect(html).toContain("Acknowledge</button>");
    const noToken = await post(`/dashboard/incidents/${incident}/ack`, {}, admin);
    expect(noToken.status).toBe(403);
    const ack = await post(
      `/dashboard/incidents/${incident}/ack`,
      { csrf: csrfOf(html), back: page },
      admin,
    );
    expect(ack.status).toBe(303);
    expect(ack.headers.get("location")).toBe(`${page}#incident-${incident}`);
    const silence = await post(
      `/dashboard/incidents/${incident}/silence`,
      { csrf: csrfOf(html), minutes: "240", back: page },
      admin,
    );
    expect(silence.status).toBe(303);
    const row = await env.DB.prepare("SELECT acked_at, silenced_until FROM incidents WHERE id = ?")
      .bind(incident)
      .first<{ acked_at: number; silenced_until: number }>();
    expect(row?.acked_at).toBeGreaterThan(NOW - 60_000);
    expect(row?.silenced_until).toBeGreaterThan(Date.now() + 239 * 60_000);
    const audit = await env.DB.prepare(
      "SELECT action, actor FROM audit_log WHERE target = ? ORDER BY id",
    )
      .bind(incident)
      .all<{ action: string; actor: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["incident.ack", "incident.silence"]);
    expect(audit.results[0]?.actor).toMatch(/^key:key_/);
  });

  it("opens an alert's link at the incident and its rule's chart", async () => {
    const { p, slug, incident } = await world();
    const url = incidentDashboardUrl(BASE, { environment: "production", slug }, incident);
    expect(url).toBe(`${BASE}/dashboard/d/production/${slug}?incident=${incident}#alert`);
    const html = await (
      await get(new URL(url).pathname + new URL(url).search, await dashboardCookie(p.read))
    ).text();
    const focus = html.slice(html.indexOf('id="alert"'), html.indexOf('id="incidents"'));
    expect(focus).toContain(`id="incident-${incident}"`);
    expect(focus).toContain('id="chart-thumbs_down_rate"');
  });

  it("answers 404 for another project's deployment", async () => {
    const { page } = await world();
    const other = await createProject("other");
    const res = await get(page, await dashboardCookie(other.read));
    expect(res.status).toBe(404);
  });

  it("tells a new deployment's visitor when its baseline will be ready", async () => {
    const p = await createProject("fresh");
    const slug = uniqueSlug("fresh");
    await env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?1, ?2, 'production', ?3, ?4, ?4)",
    )
      .bind(`${p.id}:production:${slug}`, p.id, slug, NOW - 5 * 60_000)
      .run();
    const html = await (
      await get(`/dashboard/d/production/${slug}`, await dashboardCookie(p.read))
    ).text();
    expect(html).toContain("New deployment: compared with its own first traffic");
    expect(html).toContain("Not comparing yet: baseline ready after 100 more events.");
  });

  it("names the project in the header, its id only as the name's title", async () => {
    const { p } = await world();
    const html = await (await get("/dashboard", await dashboardCookie(p.read))).text();
    expect(html).toContain(`<span title="${p.id}">dash</span>`);
  });

  it("lists the incidents one release change explains together, naming the change", async () => {
    const { p, page } = await world();
    const dep = `${p.id}:production:${page.split("/").at(-1)}`;
    await seedIncident({
      id: uniqueSlug("inc-latency"),
      projectId: p.id,
      deploymentId: dep,
      severity: "warning",
      metric: "latency_ms",
      status: "firing",
      firingAt: NOW - 50 * 60_000,
    });
    const html = await (await get(page, await dashboardCookie(p.read))).text();
    expect(html).toMatch(/data-change-group="2"/);
    expect(html).toContain("After prompt v13 → v14: 2 signals");
  });
});
