// What every dashboard route shares: rendering a page, the refusal pages, the signed-in
// viewer, redirects that stay on the dashboard, acting as the session's key, and reading a
// POST's form only when it came from one of our pages.
import type { Context } from "hono";
import type { KeyScope } from "../../db/schema";
import type { AppEnv } from "../../http/app-types";
import { HTML, PRIVATE_CACHE, renderPage, send } from "../http";
import { canAct, csrfValid, readSession, type Session, sameOrigin } from "./session";
import { MessagePage, type Viewer } from "./shell";

export type Ctx = Context<AppEnv>;

export const CROSS_SITE = "Forms are accepted only from this dashboard's own pages.";
export const EXPIRED = "The form expired; reload the page and try again.";

export const page = async (c: Ctx, node: unknown, status: 200 | 404 = 200) =>
  send(c, await renderPage(node), { status, contentType: HTML, cache: PRIVATE_CACHE });

/** A page answered with another status (400, 403, 409…). */
export async function pageWithStatus(c: Ctx, node: unknown, status: number) {
  const res = await page(c, node);
  return new Response(res.body, { status, headers: res.headers });
}

export const forbidden = (c: Ctx, message: string, viewer?: Viewer) =>
  pageWithStatus(c, <MessagePage title="Not allowed" message={message} viewer={viewer} />, 403);

export const viewerOf = (s: Session): Viewer => ({
  projectId: s.projectId,
  projectName: s.projectName,
  admin: canAct(s),
  csrf: s.csrf,
});

/** Only our own dashboard paths are followed after sign-in or an action (no open redirect). */
export function safeBack(value: unknown, fallback = "/dashboard"): string {
  return typeof value === "string" && /^\/dashboard(?:[/?#]|$)/.test(value) && !value.includes("//")
    ? value
    : fallback;
}

export const seeOther = (location: string) =>
  new Response(null, { status: 303, headers: { location, "cache-control": PRIVATE_CACHE } });

/**
 * The incident actions and sign-out act as the session's key: the audit log shows
 * `key:<id>` and the key's name, as for the same action through the API.
 */
export function actAs(
  c: Ctx,
  s: { projectId: string; keyId: string; keyName?: string; scopes: readonly KeyScope[] },
) {
  c.set("auth", {
    kind: "key",
    projectId: s.projectId,
    keyId: s.keyId,
    ...(s.keyName === undefined ? {} : { keyName: s.keyName }),
    scopes: s.scopes,
  });
}

/** Signed out, a dashboard page sends to sign-in and comes back after it. */
export async function withSession(c: Ctx, then: (s: Session) => Promise<Response>) {
  const s = await readSession(c);
  if (!s) {
    const here = new URL(c.req.url);
    return seeOther(`/dashboard?next=${encodeURIComponent(here.pathname + here.search)}`);
  }
  return then(s);
}

/** A POST's form fields, or null when it did not come from a page of ours. */
export async function formOf(c: Ctx): Promise<Record<string, string> | null> {
  if (!sameOrigin(c)) return null;
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );
}

/**
 * An admin's form post: from our own page, signed in, with the session's CSRF token and an
 * admin key; then the request acts as the session's key. Anything else is the page to answer.
 */
export async function adminForm(
  c: Ctx,
  needs: string,
): Promise<{ form: Record<string, string>; s: Session } | Response> {
  const form = await formOf(c);
  if (!form) return forbidden(c, CROSS_SITE);
  const s = await readSession(c);
  if (!s) return seeOther("/dashboard");
  if (!csrfValid(s, form.csrf)) return forbidden(c, EXPIRED, viewerOf(s));
  if (!canAct(s)) return forbidden(c, `${needs} need an admin key.`, viewerOf(s));
  actAs(c, s);
  return { form, s };
}
