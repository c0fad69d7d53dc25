// Public status responses are served from the Workers Cache API: one render (and its D1
// queries) per page and 30 s, whatever query string a visitor adds; 304 from the cached
// ETag; links built from PUBLIC_URL's origin, like alert links.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { cacheKeyOf, conditional, isShareable } from "../../src/status/edge-cache";
import { BASE, call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours } from "./seed";

const NOW = Date.now();

/** env.DB counting the statements prepared on it. */
function countingDb(): { db: D1Database; prepared: () => number } {
  let count = 0;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          count++;
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, prepared: () => count };
}

async function fetchWith(path: string, appEnv: Env, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, { headers }), appEnv, ctx);
  // The cache is filled after the answer (waitUntil).
  await waitOnExecutionContext(ctx);
  return res;
}

async function publishedPage(): Promise<string> {
  const p = await createProject("cache");
  const slug = uniqueSlug("page");
  const bot = uniqueSlug("bot");
  await seedHours(await seedDeployment(p.id, bot, NOW), NOW, 24);
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: { status_page: { slug, title: "Cached", deployments: [{ slug: bot, name: "Bot" }] } },
  });
  expect(res.status).toBe(200);
  return slug;
}

describe("cache key", () => {
  it("drops cache-busting parameters and keeps the badge's deployment", () => {
    expect(cacheKeyOf("https://dw.acme.dev/status/acme?v=1&utm_source=x&lang=ja")).toBe(
      "https://dw.acme.dev/status/acme?lang=en",
    );
    expect(
      cacheKeyOf("https://dw.acme.dev/status/acme/badge.svg?t=9&deployment=production%2Fbot"),
    ).toBe("https://dw.acme.dev/status/acme/badge.svg?deployment=production%2Fbot");
    expect(cacheKeyOf("https://dw.acme.dev/status/acme#x")).toBe(
      "https://dw.acme.dev/status/acme?lang=en",
    );
  });

  it("keys the HTML page on the language it is rendered in, and nothing else on it", () => {
    expect(cacheKeyOf("https://dw.acme.dev/status/acme", "de-CH,de;q=0.9,en;q=0.5")).toBe(
      "https://dw.acme.dev/status/acme?lang=de",
    );
    expect(cacheKeyOf("https://dw.acme.dev/status/acme", "pt-BR")).toBe(
      "https://dw.acme.dev/status/acme?lang=en",
    );
    expect(cacheKeyOf("https://dw.acme.dev/status/acme/summary.json", "ja")).toBe(
      "https://dw.acme.dev/status/acme/summary.json",
    );
  });

  it("stores only public 200 and 404 answers", () => {
    const publicCache = { "cache-control": "public, max-age=30" };
    expect(isShareable(new Response("x", { headers: publicCache }))).toBe(true);
    expect(isShareable(new Response("x", { status: 404, headers: publicCache }))).toBe(true);
    expect(isShareable(new Response("x", { status: 500, headers: publicCache }))).toBe(false);
    expect(isShareable(new Response("x", { headers: { "cache-control": "private" } }))).toBe(false);
  });

  it("answers 304 only when If-None-Match names the ETag", () => {
    const res = new Response("x", { headers: { etag: '"abc"', "content-type": "text/html" } });
    const not = conditional('"abc"', res);
    expect(not.status).toBe(304);
    expect(not.headers.get("etag")).toBe('"abc"');
    expect(not.headers.get("content-type")).toBeNull();
    expect(conditional('"other"', res)).toBe(res);
    expect(conditional(undefined, res)).toBe(res);
  });
});

describe("status pages at the edge", () => {
  it("renders a page once: later hits, cache busters included, run no D1 query", async () => {
    const slug = await publishedPage();
    const { db, prepared } = countingDb();
    const appEnv = { ...env, DB: db };
    const first = await fetchWith(`/status/${slug}?v=1`, appEnv);
    expect(first.status).toBe(200);
    const body = await first.text();
    const perRender = prepared();
    expect(perRender).toBeGreaterThan(0);
    for (let i = 2; i <= 20; i++) {
      const res = await fetchWith(`/status/${slug}?v=${i}&utm_campaign=${i}`, appEnv);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(body);
    }
    expect(prepared()).toBe(perRender);
    const json = await fetchWith(`/status/${slug}/summary.json?nocache=${Date.now()}`, appEnv);
    expect(json.status).toBe(200);
    await fetchWith(`/status/${slug}/summary.json?nocache=other`, appEnv);
    expect(prepared()).toBe(2 * perRender);
  });

  it("answers If-None-Match with 304 from the cached copy, without D1", async () => {
    const slug = await publishedPage();
    const { db, prepared } = countingDb();
    const appEnv = { ...env, DB: db };
    const first = await fetchWith(`/status/${slug}`, appEnv);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    await first.body?.cancel();
    const before = prepared();
    const again = await fetchWith(`/status/${slug}?bust=1`, appEnv, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(
      "public, max-age=30, stale-while-revalidate=60",
    );
    expect(prepared()).toBe(before);
    // A miss with If-None-Match also answers 304 (and fills the cache).
    const other = await fetchWith(`/status/${slug}/feed.atom`, appEnv);
    const feedTag = other.headers.get("etag") ?? "";
    await other.body?.cancel();
    const fresh = await fetchWith(`/status/${slug}/status.json`, appEnv, {
      "if-none-match": feedTag,
    });
    expect(fresh.status).toBe(200);
  });

  it("builds the page's links from PUBLIC_URL's origin, as alert links do", async () => {
    const slug = await publishedPage();
    const appEnv = { ...env, PUBLIC_URL: "http://127.0.0.1:8787/ignored/path/" };
    const res = await fetchWith(`/status/${slug}/summary.json`, appEnv);
    const summary = (await res.json()) as { page: { url: string } };
    expect(summary.page.url).toBe(`http://127.0.0.1:8787/status/${slug}`);
  });

  it("names PUBLIC_URL's origin as the page's canonical URL (a custom domain follows it)", async () => {
    const slug = await publishedPage();
    const appEnv = { ...env, PUBLIC_URL: "http://127.0.0.1:8787/ignored/path/" };
    const html = await (await fetchWith(`/status/${slug}`, appEnv)).text();
    expect(html).toContain(`<link rel="canonical" href="http://127.0.0.1:8787/status/${slug}"/>`);
  });
});
