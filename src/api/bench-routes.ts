// Bench-only routes, off unless BENCH_ROUTES=1 (then answered 404 like any unknown route):
// a bare route for bench/ingest, and a count of the D1 statements the Worker prepared, for
// bench/status-page's "D1 queries per 1,000 page hits", and a monitor's direct-intake counters.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-types";
import { ApiError } from "../http/errors";

let prepared = 0;

/** env.DB, counting each statement prepared on it (each D1 query starts with one). */
function countingDb(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          prepared++;
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function serveBenchRoutes(app: OpenAPIHono<AppEnv>): void {
  app.use(async (c, next) => {
    if (c.env.BENCH_ROUTES === "1") c.env = { ...c.env, DB: countingDb(c.env.DB) };
    await next();
  });
  // Comparison baseline for bench/ingest: same framework, no work.
  app.post("/__bench/bare", async (c) => {
    if (c.env.BENCH_ROUTES !== "1") throw new ApiError("not_found", "Not found");
    // Reads the body like the real route must, so batch rows compare transport too.
    await c.req.text();
    return c.json({ accepted: 1, rejected: [] }, 202);
  });
  // A monitor's direct-intake counters (requests, events, commits) for bench/capacity.
  app.get("/__bench/intake/:monitor", async (c) => {
    if (c.env.BENCH_ROUTES !== "1") throw new ApiError("not_found", "Not found");
    const stats = await c.env.DEPLOYMENT_MONITOR.getByName(c.req.param("monitor")).stats();
    return c.json(stats.intake);
  });
  // The D1 statements prepared since the last call (this isolate), then reset.
  app.get("/__bench/d1-statements", (c) => {
    if (c.env.BENCH_ROUTES !== "1") throw new ApiError("not_found", "Not found");
    const count = prepared;
    prepared = 0;
    return c.json({ prepared: count });
  });
}
