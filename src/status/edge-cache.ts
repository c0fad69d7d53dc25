// Public status responses are kept at the edge with the Workers Cache API for their
// max-age (30 s), keyed on the normalised URL: query parameters that do not change the
// answer (cache busters such as `?v=123`) are dropped from the key, so they cannot make
// every hit run the page's D1 queries. `If-None-Match` is answered 304 from the cached
// copy's ETag. NOTE: the Cache API does nothing on `*.workers.dev` hosts; serve the pages
// from a custom domain for the cache to apply (docs/status-page.md).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/app-types";
import { etagMatches } from "./http";
import { pickLanguage } from "./i18n/language";

/** The only query parameter any public status route reads (badge.svg's `deployment`). */
const MEANINGFUL_PARAMS = ["deployment"] as const;

/** The HTML status page, rendered in the reader's language (src/status/i18n/). */
const HTML_PAGE = /^\/status\/[^/]+\/?$/;

/**
 * The cache key of a public status URL: origin and path, plus the parameters that matter,
 * and for the HTML page the language it is rendered in (the Cache API does not honour
 * `Vary: Accept-Language`, so the language is written into the key).
 */
export function cacheKeyOf(url: string, acceptLanguage?: string | null): string {
  const u = new URL(url);
  const kept = new URLSearchParams();
  for (const name of MEANINGFUL_PARAMS) {
    const value = u.searchParams.get(name);
    if (value !== null) kept.set(name, value);
  }
  if (HTML_PAGE.test(u.pathname)) kept.set("lang", pickLanguage(acceptLanguage));
  const search = kept.size > 0 ? `?${kept}` : "";
  return `${u.origin}${u.pathname}${search}`;
}

/** Only shareable answers are stored: 200 and 404 marked `public`. */
export function isShareable(res: Response): boolean {
  const cache = res.headers.get("cache-control") ?? "";
  return (res.status === 200 || res.status === 404) && /^public\b/.test(cache);
}

/** The 304 for a request whose `If-None-Match` names the response's ETag, else the response. */
export function conditional(ifNoneMatch: string | undefined, res: Response): Response {
  const etag = res.headers.get("etag");
  if (res.status !== 200 || !etag || !etagMatches(ifNoneMatch, etag)) return res;
  const headers = new Headers(res.headers);
  headers.delete("content-type");
  headers.delete("content-length");
  return new Response(null, { status: 304, headers });
}

/** Serves GETs from the edge cache, filling it on a miss after the route has answered. */
export const edgeCache: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
  const cache = caches.default;
  const key = new Request(cacheKeyOf(c.req.url, c.req.header("accept-language")));
  const hit = await cache.match(key);
  if (hit) return conditional(c.req.header("if-none-match"), new Response(hit.body, hit));
  await next();
  if (isShareable(c.res)) c.executionCtx.waitUntil(cache.put(key, c.res.clone()));
  const answer = conditional(c.req.header("if-none-match"), c.res);
  if (answer !== c.res) c.res = answer;
};
