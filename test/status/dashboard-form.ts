// Talks to the dashboard as a browser does from one of its pages: posts a form (from our own
// origin unless told otherwise), gets a page with the session cookie without following
// redirects, and reads the CSRF token a page's forms carry.
import { BASE, call } from "../helpers";

/** Posts a form the way a browser does from one of our pages. */
export function post(path: string, fields: Record<string, string>, cookie?: string, origin = BASE) {
  return call(path, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin,
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A dashboard page as the session `cookie` sees it; a redirect is answered, not followed. */
export const get = (path: string, cookie: string) =>
  call(path, { headers: { cookie }, redirect: "manual" });

/** The CSRF token in a page's forms ("" when it has none). */
export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
