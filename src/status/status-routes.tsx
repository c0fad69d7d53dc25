// /status/{page} and its machine-readable siblings. Public: no auth, cached briefly, and an
// unknown or disabled page (or a name no page can have) is a 404 that says nothing about any
// project. Documented without a security requirement; bodies are rendered, never parsed.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/app-types";
import { newRouter } from "../http/openapi/router";
import { publicOrigin } from "../net/public-origin";
import { PageSlugSchema } from "../projects/status-page-settings";
import { z } from "../zod";
import { atomFeed } from "./atom";
import { badgeSvg } from "./badge";
import { edgeCache } from "./edge-cache";
import { HTML, PUBLIC_CACHE, renderPage, send } from "./http";
import { pickLanguage } from "./i18n/language";
import { loadStatusModel } from "./page-data";
import type { StatusModel } from "./page-model";
import { NotFoundPage, StatusPage } from "./status-page";
import { incidentsJson, maintenancesJson, statusJson, summaryJson } from "./statuspage-v2";
import {
  StatusIncidentsSchema,
  StatusMaintenancesSchema,
  StatusNotFoundSchema,
  StatusRollupSchema,
  StatusSummarySchema,
} from "./statuspage-v2-schema";

const JSON_TYPE = "application/json; charset=utf-8";

type Kind = "html" | "other";

async function notFound(c: Context<AppEnv>, kind: Kind) {
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
  (kind: Kind, render: Render) =>
  // Generic in the path so each route keeps its own (the typed client's paths).
  async <P extends string>(c: Context<AppEnv, P>): Promise<Response> => {
    const slug = c.req.param("page") ?? "";
    const model = await loadStatusModel(c.env.DB, slug, Date.now());
    if (!model) return notFound(c, kind);
    // The same origin rule as alert links: PUBLIC_URL's origin (publicOrigin).
    return render(c, model, `${publicOrigin(c.env)}/status/${slug}`);
  };

/** A page name that fails its schema names no page: the same 404 as an unknown one. */
const unknownPage =
  (kind: Kind) =>
  <P extends string>(result: { success: boolean }, c: Context<AppEnv, P>) =>
    result.success ? undefined : notFound(c, kind);

const json = (c: Context<AppEnv>, body: unknown) =>
  send(c, JSON.stringify(body), { contentType: JSON_TYPE, cache: PUBLIC_CACHE });

const PageParams = z.object({
  page: PageSlugSchema.meta({ description: "The page's slug (the project's status_page.slug)" }),
});

const text = (type: string) => ({ [type]: { schema: z.string() } });
const NOT_MODIFIED = { description: "Not modified: the `If-None-Match` tag is still current" };
const NOT_FOUND_JSON = {
  description: "No such page, or it is disabled",
  content: { "application/json": { schema: StatusNotFoundSchema } },
};

/** Public status routes: no security requirement (an empty list), one tag in the document. */
const PUBLIC = { tags: ["Status pages"], security: [] };

const DESCRIPTION =
  "Public, no key. Cached at the edge and by shared caches for 30 s (`Cache-Control: public, " +
  "max-age=30, stale-while-revalidate=60`) with a strong `ETag`; `If-None-Match` answers 304. " +
  "Query parameters other than those documented do not bypass the cache.";

const htmlPage = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}",
  summary: "The status page (HTML)",
  description: DESCRIPTION,
  request: { params: PageParams },
  responses: {
    200: { description: "The page", content: text("text/html") },
    304: NOT_MODIFIED,
    404: { description: "No such page, or it is disabled", content: text("text/html") },
  },
});

const summary = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}/summary.json",
  summary: "The page's components, open incidents and status (Statuspage v2 summary.json)",
  description: DESCRIPTION,
  request: { params: PageParams },
  responses: {
    200: {
      description: "The summary",
      content: { "application/json": { schema: StatusSummarySchema } },
    },
    304: NOT_MODIFIED,
    404: NOT_FOUND_JSON,
  },
});

const incidentList = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}/incidents.json",
  summary: "The page's incidents with their updates (Statuspage v2 incidents.json)",
  description: DESCRIPTION,
  request: { params: PageParams },
  responses: {
    200: {
      description: "The incidents",
      content: { "application/json": { schema: StatusIncidentsSchema } },
    },
    304: NOT_MODIFIED,
    404: NOT_FOUND_JSON,
  },
});

const maintenanceRoute = (which: "upcoming" | "active") =>
  createRoute({
    ...PUBLIC,
    method: "get",
    path: `/{page}/scheduled-maintenances/${which}.json`,
    summary:
      which === "upcoming"
        ? "Maintenance announced and not yet started (Statuspage v2 upcoming.json)"
        : "Maintenance in progress (Statuspage v2 active.json)",
    description: DESCRIPTION,
    request: { params: PageParams },
    responses: {
      200: {
        description: "The maintenance windows, the earliest first",
        content: { "application/json": { schema: StatusMaintenancesSchema } },
      },
      304: NOT_MODIFIED,
      404: NOT_FOUND_JSON,
    },
  });

const rollup = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}/status.json",
  summary: "The page's rolled-up status (Statuspage v2 status.json)",
  description: DESCRIPTION,
  request: { params: PageParams },
  responses: {
    200: {
      description: "The status",
      content: { "application/json": { schema: StatusRollupSchema } },
    },
    304: NOT_MODIFIED,
    404: NOT_FOUND_JSON,
  },
});

const feed = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}/feed.atom",
  summary: "The page's incidents as an Atom feed",
  description: DESCRIPTION,
  request: { params: PageParams },
  responses: {
    200: { description: "The feed", content: text("application/atom+xml") },
    304: NOT_MODIFIED,
    404: NOT_FOUND_JSON,
  },
});

const badge = createRoute({
  ...PUBLIC,
  method: "get",
  path: "/{page}/badge.svg",
  summary: "A status badge for the page, or for one of its deployments",
  description: DESCRIPTION,
  request: {
    params: PageParams,
    // Not strict: cache-busting parameters on embedded badges stay harmless.
    query: z.object({
      deployment: z.string().optional().meta({
        description: "`<environment>/<slug>` of a deployment on the page; absent: the whole page",
      }),
    }),
  },
  responses: {
    200: { description: "The badge", content: text("image/svg+xml") },
    304: NOT_MODIFIED,
    404: NOT_FOUND_JSON,
  },
});

const router = newRouter();
router.use(edgeCache);

export const statusPages = router
  .openapi(
    htmlPage,
    page("html", async (c, m, url) => {
      // The reader's language (the edge cache keys the page on it too: edge-cache.ts).
      const lang = pickLanguage(c.req.header("accept-language"));
      const res = await send(c, await renderPage(<StatusPage m={m} url={url} lang={lang} />), {
        contentType: HTML,
        cache: PUBLIC_CACHE,
      });
      res.headers.set("vary", "Accept-Language");
      res.headers.set("content-language", lang);
      return res;
    }),
    unknownPage("html"),
  )
  .openapi(
    summary,
    page("other", (c, m, url) => json(c, summaryJson(m, url))),
    unknownPage("other"),
  )
  .openapi(
    incidentList,
    page("other", (c, m, url) => json(c, incidentsJson(m, url))),
    unknownPage("other"),
  )
  .openapi(
    maintenanceRoute("upcoming"),
    page("other", (c, m, url) => json(c, maintenancesJson(m, url, "scheduled"))),
    unknownPage("other"),
  )
  .openapi(
    maintenanceRoute("active"),
    page("other", (c, m, url) => json(c, maintenancesJson(m, url, "in_progress"))),
    unknownPage("other"),
  )
  .openapi(
    rollup,
    page("other", (c, m, url) => json(c, statusJson(m, url))),
    unknownPage("other"),
  )
  .openapi(
    feed,
    page("other", async (c, m, url) =>
      send(c, await atomFeed(m, url), {
        contentType: "application/atom+xml; charset=utf-8",
        cache: PUBLIC_CACHE,
      }),
    ),
    unknownPage("other"),
  )
  .openapi(
    badge,
    page("other", async (c, m) => {
      // ?deployment=production/support-bot: that deployment's badge; else the whole page's.
      const wanted = c.req.query("deployment");
      const component = wanted ? m.components.find((x) => x.id === wanted) : undefined;
      if (wanted && !component) return notFound(c, "other");
      const svg = await badgeSvg(component?.name ?? m.title, component?.state ?? m.state);
      return send(c, svg, { contentType: "image/svg+xml", cache: PUBLIC_CACHE });
    }),
    unknownPage("other"),
  );
