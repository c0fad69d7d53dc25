// /status/:page and its machine-readable siblings. Public: no auth, cached briefly,
// and an unknown or disabled page is a 404 that says nothing about any project.
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../api/app-types";
import { atomFeed } from "./atom";
import { badgeSvg } from "./badge";
import { HTML, PUBLIC_CACHE, renderPage, send } from "./http";
import { loadStatusModel } from "./page-data";
import type { StatusModel } from "./page-model";
import { NotFoundPage, StatusPage } from "./status-page";
import { statusJson, summaryJson } from "./statuspage-v2";

const JSON_TYPE = "application/json; charset=utf-8";

/** The origin links are built from: PUBLIC_URL when set, else the request's. */
export function originOf(c: Context<AppEnv>): string {
  return (c.env.PUBLIC_URL ?? new URL(c.req.url).origin).replace(/\/$/, "");
}

async function notFound(c: Context<AppEnv>, kind: "html" | "other") {
  if (kind === "html") {
    return send(c, await renderPage(<NotFoundPage />), {
      status: 404,
      contentType: HTML,
      cache: "public, max-age=30",
    });
  }
  return send(c, JSON.stringify({ error: { code: "not_found", message: "No such status page" } }), {
    status: 404,
    contentType: JSON_TYPE,
    cache: "public, max-age=30",
  });
}

type Render = (c: Context<AppEnv>, m: StatusModel, pageUrl: string) => Promise<Response>;

/** Loads the page's model (or answers 404) and hands it to the renderer. */
const page =
  (kind: "html" | "other", render: Render) =>
  async (c: Context<AppEnv>): Promise<Response> => {
    const slug = c.req.param("page") ?? "";
    const model = await loadStatusModel(c.env.DB, slug, Date.now());
    if (!model) return notFound(c, kind);
    return render(c, model, `${originOf(c)}/status/${slug}`);
  };

const json = (c: Context<AppEnv>, body: unknown) =>
  send(c, JSON.stringify(body), { contentType: JSON_TYPE, cache: PUBLIC_CACHE });

export const statusPages = new Hono<AppEnv>()
  .get(
    "/:page",
    page("html", async (c, m) =>
      send(c, await renderPage(<StatusPage m={m} />), { contentType: HTML, cache: PUBLIC_CACHE }),
    ),
  )
  .get(
    "/:page/summary.json",
    page("other", (c, m, url) => json(c, summaryJson(m, url))),
  )
  .get(
    "/:page/status.json",
    page("other", (c, m, url) => json(c, statusJson(m, url))),
  )
  .get(
    "/:page/feed.atom",
    page("other", async (c, m, url) =>
      send(c, await atomFeed(m, url), {
        contentType: "application/atom+xml; charset=utf-8",
        cache: PUBLIC_CACHE,
      }),
    ),
  )
  .get(
    "/:page/badge.svg",
    page("other", async (c, m) => {
      // ?deployment=production/support-bot: that deployment's badge; else the whole page's.
      const wanted = c.req.query("deployment");
      const component = wanted ? m.components.find((x) => x.id === wanted) : undefined;
      if (wanted && !component) return notFound(c, "other");
      const svg = await badgeSvg(component?.name ?? m.title, component?.state ?? m.state);
      return send(c, svg, { contentType: "image/svg+xml", cache: PUBLIC_CACHE });
    }),
  );
