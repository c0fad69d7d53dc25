// Response helpers for the HTML, JSON, XML and SVG routes: security headers on every
// page, a strong ETag from the body, and the cache policy per audience.
import type { Context } from "hono";
import { xmlSafe } from "./xml-chars";

/** No script at all; inline styles only (the pages have no other assets). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Public pages: shared caches may keep them 30 s, so a state change shows within a minute. */
export const PUBLIC_CACHE = "public, max-age=30, stale-while-revalidate=60";
/** Signed-in pages: never stored by shared caches. */
export const PRIVATE_CACHE = "private, no-store";

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest).slice(0, 12)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `"${hex}"`;
}

/** True when an If-None-Match list names this tag (or is `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

export interface SendOptions {
  status?: 200 | 404;
  contentType: string;
  cache: string;
}

/**
 * Sends a rendered body with the security headers, and an ETag on public 200s (the edge
 * cache, edge-cache.ts, answers `If-None-Match` with 304 from it).
 */
export async function send(_c: Context, rendered: string, options: SendOptions): Promise<Response> {
  // Client-set strings may hold characters XML 1.0 cannot carry (xml-chars.ts).
  const body = xmlSafe(rendered);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    "content-type": options.contentType,
    "cache-control": options.cache,
  };
  const status = options.status ?? 200;
  if (status === 200 && options.cache === PUBLIC_CACHE) {
    headers.etag = await etagOf(body);
  }
  return new Response(body, { status, headers });
}

export const HTML = "text/html; charset=utf-8";

/** Renders a JSX page to a string with its doctype. */
export async function renderPage(page: unknown): Promise<string> {
  // A JSX node renders on toString(), which is async when a component is.
  const html = await (page as { toString(): string | Promise<string> }).toString();
  return `<!doctype html>${html}`;
}
