// The icon the status page, the dashboard and /docs show in the browser's tab: a pulse
// line in the product's accent colour. Browsers ask for /favicon.ico on every page;
// without an answer each page logs a 404 in the console.
import type { Hono, Env as HonoEnv } from "hono";

export const FAVICON_PATH = "/favicon.svg";

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2f5bd3"/><path d="M5 17h6l3-8 4 14 3-6h6" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>';

export function serveFavicon<E extends HonoEnv>(app: Hono<E>): void {
  for (const path of [FAVICON_PATH, "/favicon.ico"]) {
    app.get(path, (c) =>
      c.body(SVG, 200, {
        "content-type": "image/svg+xml",
        "cache-control": "public, max-age=86400",
      }),
    );
  }
}
