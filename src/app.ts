// The Hono app: request ids, one error handler, one router per resource. Routers on the
// OpenAPI pattern (src/http/openapi/) appear in GET /openapi.json and the /docs page.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { auditLog } from "./api/audit/routes";
import { baselines } from "./api/baselines/routes";
import { serveBenchRoutes } from "./api/bench-routes";
import { budgets } from "./api/budgets/routes";
import { channels } from "./api/channels/routes";
import { deploymentDeletion } from "./api/deletions/routes";
import { deploymentReads, deployments } from "./api/deployments/routes";
import { events } from "./api/events/routes";
import { eventExport } from "./api/export/routes";
import { incidentActions } from "./api/incidents/actions";
import { incidents } from "./api/incidents/routes";
import { incidentUpdates } from "./api/incidents/updates";
import { maintenances } from "./api/maintenances/routes";
import { otlpLogs } from "./api/otlp/logs-routes";
import { otlp } from "./api/otlp/routes";
import { prices } from "./api/prices/routes";
import { probes } from "./api/probes/routes";
import { keys } from "./api/projects/key-routes";
import { project, projects } from "./api/projects/routes";
import { releases } from "./api/releases/routes";
import { rules } from "./api/rules/routes";
import { topSpenders } from "./api/spend/top-spenders-routes";
import { userShareRules } from "./api/spend/user-share-rules-routes";
import { verdictReads } from "./api/verdicts/routes";
import type { AppEnv } from "./http/app-types";
import { ApiError, handleError } from "./http/errors";
import { serveDocs } from "./http/openapi/document";
import { json } from "./http/openapi/route";
import { defaultHook } from "./http/openapi/router";
import { publicUrlProblem } from "./net/public-origin";
import { dashboard } from "./status/dashboard/routes";
import { serveFavicon } from "./status/favicon";
import { statusPages } from "./status/status-routes";
import { statusSubscriptions } from "./status/subscriptions/subscribe-routes";
import { z } from "./zod";

export const app = new OpenAPIHono<AppEnv>({ defaultHook });

// Every answer names its request (x-request-id; also in error bodies and audit entries).
app.use(async (c, next) => {
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", requestId);
  await next();
  c.header("x-request-id", requestId);
});

// Outside development a missing, loopback or placeholder PUBLIC_URL stops every request
// with a clear error instead of sending alerts whose links lead nowhere.
app.use(async (c, next) => {
  const problem = publicUrlProblem(c.env);
  if (problem) {
    console.error(problem);
    throw new ApiError("misconfigured", problem);
  }
  await next();
});

const health = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["Meta"],
  summary: "Liveness: answers without touching storage (no key needed)",
  responses: { 200: { description: "Up", content: json(z.object({ ok: z.literal(true) })) } },
});
app.openapi(health, (c) => c.json({ ok: true as const }, 200));
// bench/ingest's bare route and bench/status-page's D1 count. Off unless BENCH_ROUTES=1.
serveBenchRoutes(app);

serveDocs(app);
serveFavicon(app);

// Chained so that AppType carries every route's types (the typed client in test/client.ts).
// Mount order does not matter: authentication and scopes are resolved once per request.
const routes = app
  .route("/v1/projects", projects)
  .route("/v1/projects/:id", project)
  .route("/v1/projects/:id", keys)
  .route("/v1/events/export", eventExport)
  .route("/v1/events", events)
  .route("/v1/traces", otlp)
  .route("/v1/logs", otlpLogs)
  .route("/v1/deployments", deployments)
  .route("/v1/deployments/:env/:slug", deploymentReads)
  .route("/v1/deployments/:env/:slug", baselines)
  .route("/v1/deployments/:env/:slug", deploymentDeletion)
  .route("/v1/deployments/:env/:slug", topSpenders)
  .route("/v1/deployments/:env/:slug", verdictReads)
  .route("/v1/releases", releases)
  .route("/v1/channels", channels)
  .route("/v1/rules", rules)
  .route("/v1/budgets", budgets)
  .route("/v1/prices", prices)
  .route("/v1/user-share-rules", userShareRules)
  .route("/v1/incidents", incidents)
  .route("/v1/incidents", incidentActions)
  .route("/v1/incidents", incidentUpdates)
  .route("/v1/maintenances", maintenances)
  .route("/v1/probes", probes)
  .route("/v1/audit", auditLog)
  .route("/status", statusPages)
  .route("/status", statusSubscriptions)
  .route("/dashboard", dashboard);
export type AppType = typeof routes;

app.notFound(() => {
  throw new ApiError("not_found", "No such route");
});
app.onError(handleError);
