// The Hono app: request ids, one error handler, one router per resource.
import { Hono } from "hono";
import { publicUrlProblem } from "../net/public-origin";
import { dashboard } from "../status/dashboard/routes";
import { statusPages } from "../status/status-routes";
import type { AppEnv } from "./app-types";
import { auditLog } from "./audit-routes";
import { baselines } from "./baselines";
import { channels } from "./channels";
import { deploymentDeletion } from "./deletions";
import { deployments } from "./deployments";
import { ApiError, handleError } from "./errors";
import { eventExport } from "./event-export";
import { events } from "./events";
import { incidents } from "./incidents";
import { otlp } from "./otlp";
import { probes } from "./probes";
import { projects } from "./projects";
import { rules } from "./rules";

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
  await next();
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

app.get("/healthz", (c) => c.json({ ok: true }));
// Comparison baseline for bench/ingest: same framework, no work. Off unless BENCH_ROUTES=1.
app.post("/__bench/bare", async (c) => {
  if (c.env.BENCH_ROUTES !== "1") throw new ApiError("not_found", "Not found");
  // Reads the body like the real route must, so batch rows compare transport too.
  await c.req.text();
  return c.json({ accepted: 1, rejected: [] }, 202);
});

app.route("/v1/projects", projects);
app.route("/v1/events/export", eventExport);
app.route("/v1/events", events);
app.route("/v1/traces", otlp);
// Before `deployments`: its read-scope middleware covers /v1/deployments/*, and these
// routes set their own scopes (admin for baseline changes and deletion).
app.route("/v1/deployments", baselines);
app.route("/v1/deployments", deploymentDeletion);
app.route("/v1/deployments", deployments);
app.route("/v1/channels", channels);
app.route("/v1/rules", rules);
app.route("/v1/incidents", incidents);
app.route("/v1/probes", probes);
app.route("/v1/audit", auditLog);
app.route("/status", statusPages);
app.route("/dashboard", dashboard);

app.notFound(() => {
  throw new ApiError("not_found", "No such route");
});
app.onError(handleError);
