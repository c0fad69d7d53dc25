import { describe, expect, it } from "vitest";
import { client, expectStatus } from "../client";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours, seedIncident, seedRelease } from "./seed";

const NOW = Date.now();
const HOUR = 3_600_000;

/** The typed client's routes under /status/{page} (public: no key). */
const statusOf = (_slug: string) => client().status[":page"];

async function setPage(projectId: string, key: string, page: unknown) {
  return call(`/v1/projects/${projectId}`, { method: "PATCH", key, json: { status_page: page } });
}

/** A project with a page listing two deployments: one with a firing critical incident. */
async function seededPage(showReleaseLabels = true) {
  const p = await createProject("status");
  const slug = uniqueSlug("acme");
  const bot = uniqueSlug("bot");
  const search = uniqueSlug("search");
  const botId = await seedDeployment(p.id, bot, NOW);
  const searchId = await seedDeployment(p.id, search, NOW);
  await seedHours(botId, NOW, 24);
  await seedHours(searchId, NOW, 24);
  await seedRelease(botId, "v13", NOW - 20 * 24 * HOUR);
  await seedRelease(botId, "v14", NOW - 2 * HOUR);
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId: botId,
    severity: "critical",
    // Failing answers: the one kind of signal that can be a major outage (impactOf).
    metric: "error_rate",
    status: "firing",
    firingAt: NOW - HOUR,
    ackedAt: NOW - 30 * 60_000,
  });
  await seedIncident({
    id: uniqueSlug("old"),
    projectId: p.id,
    deploymentId: searchId,
    severity: "warning",
    metric: "latency_ms",
    status: "resolved",
    firingAt: NOW - 3 * 24 * HOUR,
    resolvedAt: NOW - 3 * 24 * HOUR + 2 * HOUR,
  });
  const res = await setPage(p.id, p.admin, {
    slug,
    title: "Acme <AI> status",
    description: "Our assistants",
    show_release_labels: showReleaseLabels,
    deployments: [
      { slug: bot, name: "Support assistant" },
      { slug: search, name: "Search answers" },
    ],
  });
  expect(res.status).toBe(200);
  return { p, slug, bot, search, incident };
}

describe("PATCH /v1/projects/:id status_page", () => {
  it("is off by default: a new project has no page", async () => {
    const p = await createProject("off");
    const res = await call(`/v1/projects/${p.id}`, { key: p.admin });
    expect(
      ((await res.json()) as { project: { status_page: unknown } }).project.status_page,
    ).toBeNull();
  });

  it("answers 400 with the field path of each bad setting", async () => {
    const p = await createProject("bad");
    const res = await setPage(p.id, p.admin, {
      slug: "Not A Slug",
      title: "",
      deployments: [
        { slug: "bot", name: "x" },
        { slug: "bot", name: "y" },
        { slug: "b", nme: "z" },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } };
    const paths = body.error.details.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "status_page.slug",
        "status_page.title",
        "status_page.deployments.2.name",
        "status_page.deployments.2.nme",
      ]),
    );
  });

  it("answers 409 when another project has the slug, and keeps the first owner", async () => {
    const a = await createProject("a");
    const b = await createProject("b");
    const slug = uniqueSlug("taken");
    expect((await setPage(a.id, a.admin, { slug, title: "A" })).status).toBe(200);
    const res = await setPage(b.id, b.admin, { slug, title: "B" });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues[0]?.path).toBe("status_page.slug");
    const page = await call(`/status/${slug}`);
    expect(await page.text()).toContain("<h1>A</h1>");
  });

  it("answers 403 to a read key and 401 without one", async () => {
    const p = await createProject("auth");
    expect((await setPage(p.id, p.read, { slug: uniqueSlug("x"), title: "X" })).status).toBe(403);
    const res = await call(`/v1/projects/${p.id}`, { method: "PATCH", json: { name: "x" } });
    expect(res.status).toBe(401);
  });
});

describe("GET /status/:page", () => {
  it("renders each deployment's state as derived from its incidents, escaping user text", async () => {
    const { slug } = await seededPage();
    const res = await call(`/status/${slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<h1>Acme &lt;AI&gt; status</h1>");
    expect(html).not.toContain("<AI>");
    expect(html).toMatch(/class="card banner major_outage"/);
    expect(html).toMatch(/<h3>Support assistant<\/h3><span class="state major_outage"/);
    expect(html).toMatch(/<h3>Search answers<\/h3><span class="state operational"/);
    expect(html).toContain("More failed answers");
    expect(html).toContain("Slower answers");
    expect(html).toContain("after prompt v13 → v14");
    expect(html).not.toContain("<script");
  });

  it("names the release change only by field unless the project shows release labels", async () => {
    const { slug } = await seededPage(false);
    const html = await (await call(`/status/${slug}`)).text();
    expect(html).toContain("after a prompt change");
    expect(html).not.toContain("v13");
    expect(html).not.toContain("v14");
    const feed = await (await call(`/status/${slug}/feed.atom`)).text();
    expect(feed).toContain("It follows a change: a prompt change.");
    expect(feed).not.toContain("v14");
    const summary = await (await call(`/status/${slug}/summary.json`)).text();
    expect(summary).not.toContain("v14");
  });

  it("sends security headers, an ETag with 304, and the public cache policy", async () => {
    const { slug } = await seededPage();
    const res = await call(`/status/${slug}`);
    await res.body?.cancel();
    expect(res.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=60");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    const again = await call(`/status/${slug}`, { headers: { "if-none-match": etag ?? "" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("answers a real 404 page for unknown and disabled pages", async () => {
    const unknown = await call(`/status/${uniqueSlug("nope")}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await unknown.text()).toContain("Status page not found");
    const p = await createProject("disabled");
    const slug = uniqueSlug("off");
    await setPage(p.id, p.admin, { slug, title: "Secret project", enabled: false });
    const off = await call(`/status/${slug}`);
    expect(off.status).toBe(404);
    expect(await off.text()).not.toContain("Secret project");
    const summary = await statusOf(slug)["summary.json"].$get({ param: { page: slug } });
    expect(await expectStatus(summary, 404)).toEqual({
      error: { code: "not_found", message: "No such status page" },
    });
  });

  it("answers the same 404 for a name no page can have, HTML or JSON", async () => {
    const html = await call("/status/Not_A.Page");
    expect(html.status).toBe(404);
    expect(await html.text()).toContain("Status page not found");
    const summary = await call("/status/Not_A.Page/summary.json");
    expect(summary.status).toBe(404);
    expect(summary.headers.get("cache-control")).toBe("public, max-age=30");
    expect(await summary.json()).toEqual({
      error: { code: "not_found", message: "No such status page" },
    });
  });

  it("shows a listed deployment that never sent an event as no data", async () => {
    const p = await createProject("empty");
    const slug = uniqueSlug("empty");
    await setPage(p.id, p.admin, {
      slug,
      title: "Empty",
      deployments: [{ slug: "later", name: "Later" }],
    });
    const html = await (await call(`/status/${slug}`)).text();
    expect(html).toMatch(/class="card banner no_data"/);
    expect(html).toContain("No incidents in the last 14 days.");
  });
});

describe("status page siblings", () => {
  it("serves summary.json and status.json in the Statuspage v2 shape", async () => {
    const { slug, bot, incident } = await seededPage();
    const summaryRes = await statusOf(slug)["summary.json"].$get({ param: { page: slug } });
    expect(summaryRes.headers.get("cache-control")).toBe(
      "public, max-age=30, stale-while-revalidate=60",
    );
    const summary = await expectStatus(summaryRes, 200);
    expect(summary.page).toMatchObject({ id: slug, name: "Acme <AI> status" });
    expect(summary.page.url).toMatch(new RegExp(`/status/${slug}$`));
    expect(summary.status).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(summary.components.map((c) => [c.id, c.status])).toEqual([
      [`production/${bot}`, "major_outage"],
      [expect.stringMatching(/^production\/search-/), "operational"],
    ]);
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0]).toMatchObject({
      id: incident,
      status: "identified",
      impact: "major",
    });
    expect(summary.incidents[0]?.incident_updates.map((u) => u.status)).toEqual([
      "identified",
      "investigating",
    ]);
    expect(summary.scheduled_maintenances).toEqual([]);
    const res = await statusOf(slug)["status.json"].$get({ param: { page: slug } });
    const status = await expectStatus(res, 200);
    expect(Object.keys(status)).toEqual(["page", "status"]);
    expect(status.status).toEqual(summary.status);
  });

  it("serves an Atom feed with one entry per incident, escaped", async () => {
    const { slug } = await seededPage();
    const res = await call(`/status/${slug}/feed.atom`);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(xml).toContain("<title>Acme &lt;AI&gt; status status</title>");
    expect(xml.match(/<entry>/g)).toHaveLength(2);
  });

  it("links the tab icon, which answers as SVG at its path and at /favicon.ico", async () => {
    const { slug } = await seededPage();
    const html = await (await call(`/status/${slug}`)).text();
    const href = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBe("/favicon.svg");
    for (const path of [href ?? "", "/favicon.ico"]) {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/svg+xml");
      expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  it("serves a badge for the page and for one deployment, 404 for an unlisted one", async () => {
    const { slug, bot } = await seededPage();
    const page = await call(`/status/${slug}/badge.svg`);
    expect(page.headers.get("content-type")).toBe("image/svg+xml");
    expect(await page.text()).toContain("major outage");
    const one = await call(`/status/${slug}/badge.svg?deployment=production/${bot}`);
    expect(await one.text()).toContain("Support assistant: major outage");
    expect((await call(`/status/${slug}/badge.svg?deployment=production/other`)).status).toBe(404);
  });
});
