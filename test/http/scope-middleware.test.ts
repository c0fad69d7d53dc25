// The router middleware of the OpenAPI pattern: a `/:env/:slug` router resolves its deployment
// once (in the caller's project, 404 otherwise), validates the path, and hands the handler
// `c.var.projectId` and `c.var.deployment`; routers sharing a prefix mount in any order.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { OpenAPIHono } from "@hono/zod-openapi";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/app-types";
import { handleError } from "../../src/http/errors";
import { apiRoute, json } from "../../src/http/openapi/route";
import { deploymentRouter, projectRouter } from "../../src/http/openapi/router";
import { DeploymentParams, ProjectQuery } from "../../src/http/shared-params";
import { z } from "../../src/zod";
import { issuePath } from "../client";
import { ADMIN, createProject, type TestProject, uniqueSlug } from "../helpers";

const Seen = z.object({ project: z.string(), deployment: z.string() });

const show = apiRoute({
  method: "get",
  path: "/show",
  access: "read",
  request: { params: DeploymentParams, query: ProjectQuery },
  responses: { 200: { description: "What the middleware resolved", content: json(Seen) } },
});
const change = apiRoute({
  method: "post",
  path: "/change",
  access: "admin",
  request: { params: DeploymentParams, query: ProjectQuery },
  responses: { 200: { description: "What the middleware resolved", content: json(Seen) } },
});
const list = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  request: { query: ProjectQuery },
  responses: { 200: { description: "The project", content: json(Seen) } },
});

const reads = deploymentRouter().openapi(show, (c) =>
  c.json({ project: c.var.projectId, deployment: c.var.deployment.id }, 200),
);
const changes = deploymentRouter().openapi(change, (c) =>
  c.json({ project: c.var.projectId, deployment: c.var.deployment.id }, 200),
);
const listing = projectRouter().openapi(list, (c) =>
  c.json({ project: c.var.projectId, deployment: "" }, 200),
);

/** The routers mounted the way app.ts mounts them, the prefix-sharing list router first. */
const app = new OpenAPIHono<AppEnv>()
  .route("/d", listing)
  .route("/d/:env/:slug", reads)
  .route("/d/:env/:slug", changes);
app.onError(handleError);

async function get(path: string, key?: string, method = "GET") {
  const ctx = createExecutionContext();
  const headers = key ? { authorization: `Bearer ${key}` } : undefined;
  const res = await app.request(path, { method, headers }, env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as unknown };
}

let p: TestProject;
let slug: string;
beforeAll(async () => {
  p = await createProject();
  slug = uniqueSlug();
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, 1, 1)",
  )
    .bind(`${p.id}:production:${slug}`, p.id, slug)
    .run();
});

describe("deploymentRouter", () => {
  it("gives the handler the key's project and the deployment the path names", async () => {
    const res = await get(`/d/production/${slug}/show`, p.read);
    expect(res).toEqual({
      status: 200,
      body: { project: p.id, deployment: `${p.id}:production:${slug}` },
    });
    const root = await get(`/d/production/${slug}/show?project=${p.id}`, ADMIN);
    expect(root.body).toEqual(res.body);
  });

  it("checks each route's scope after the router's middleware", async () => {
    expect((await get(`/d/production/${slug}/change`, p.read, "POST")).status).toBe(403);
    expect((await get(`/d/production/${slug}/change`, p.admin, "POST")).status).toBe(200);
    expect((await get(`/d/production/${slug}/show`, p.ingest)).status).toBe(403);
  });

  it("answers 404 for a deployment of another project, or none", async () => {
    const other = await createProject();
    expect((await get(`/d/production/${slug}/show`, other.read)).status).toBe(404);
    expect((await get("/d/production/nobody/show", p.read)).status).toBe(404);
    expect((await get(`/d/staging/${slug}/show`, p.read)).status).toBe(404);
  });

  it("answers 400 naming the path parameter, 401 without a key, 403 for a foreign ?project=", async () => {
    const bad = await get("/d/production/Not_A_Slug/show", p.read);
    expect(bad.status).toBe(400);
    expect(issuePath(bad.body)).toBe("slug");
    expect((await get(`/d/production/${slug}/show`)).status).toBe(401);
    const other = await createProject();
    expect((await get(`/d/production/${slug}/show?project=${other.id}`, p.read)).status).toBe(403);
    const rootWithout = await get(`/d/production/${slug}/show`, ADMIN);
    expect(rootWithout.status).toBe(400);
  });

  it("serves the list router sharing the prefix, with the project and no deployment", async () => {
    expect(await get("/d", p.read)).toEqual({
      status: 200,
      body: { project: p.id, deployment: "" },
    });
  });
});
