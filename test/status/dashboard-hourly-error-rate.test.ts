// The error rate is one definition on every chart: status `error` only, as the error-rate
// rule counts it. The hourly rollups (24 h, 7 d, 30 d) and the 1-minute rollups (6 h) are
// written by the object's alarm from the same buckets the minute charts (1 h) read.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { rateCounts } from "../../src/alerts/evaluation/metric-values";
import type { Status } from "../../src/ingest/event-schema";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { call, createProject } from "../helpers";
import { bucketOf } from "../sample-events";
import { encodedMinutes } from "../seed-buckets";
import { seedDeployment } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();
const MIN = 60_000;
const HOUR = 60 * MIN;
let n = 0;
const unique = (p: string) => `${p}-${NOW.toString(36)}-${n++}`;

/** The deployment's rollups' error counts, oldest first. */
async function errorCounts(deploymentId: string) {
  const rows = await env.DB.prepare(
    "SELECT resolution, bucket_start, error_count FROM rollups WHERE deployment_id = ? ORDER BY bucket_start, resolution",
  )
    .bind(deploymentId)
    .all();
  return rows.results;
}

const chartOf = (html: string, id: string) =>
  new RegExp(`<figure[^>]*id="chart-${id}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? "";

/** One minute of 100 requests: 10 errors, 10 timeouts and 80 ok, flushed to D1 by the alarm. */
async function world() {
  const p = await createProject("dash-errors");
  const slug = unique("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  const statusOf = (k: number): Status => (k < 10 ? "error" : k < 20 ? "timeout" : "ok");
  const events: NormalizedInteraction[] = Array.from({ length: 100 }, (_, k) => ({
    type: "interaction",
    id: `e${k}`,
    deployment: slug,
    environment: "production",
    ts: NOW - 3 * MIN,
    status: statusOf(k),
    latency_ms: 500,
  }));
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  await stub.apply({ deploymentId, token: `t-${slug}`, buckets: encodedMinutes(events) });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  return { p, slug, deploymentId, events, page: `/dashboard/d/production/${slug}` };
}

describe("the error rate on the hourly charts", () => {
  it("counts errors only, as the rule and the minute chart do: 10 % for 10 errors and 10 timeouts in 100", async () => {
    const { p, deploymentId, events, page } = await world();
    const rule = rateCounts(bucketOf(events), "error_rate");
    expect(rule.successes / rule.trials).toBe(0.1);

    expect(await errorCounts(deploymentId)).toEqual([
      {
        resolution: "1h",
        bucket_start: Math.floor((NOW - 3 * MIN) / HOUR) * HOUR,
        error_count: 10,
      },
      { resolution: "1m", bucket_start: Math.floor((NOW - 3 * MIN) / MIN) * MIN, error_count: 10 },
    ]);

    const cookie = await dashboardCookie(p.read);
    for (const range of ["24h", "7d", "30d", "6h", "1h"]) {
      const html = await (await call(`${page}?range=${range}`, { headers: { cookie } })).text();
      expect({ range, chart: chartOf(html, "error_rate") }).toEqual({
        range,
        chart: expect.stringMatching(/latest errors 10 %/),
      });
    }
    const overview = await (await call("/dashboard", { headers: { cookie } })).text();
    expect(overview).toContain(`Error rate</div><div class="v">10 %`);
  });

  // The public page's state and uptime come from incidents, its figures from latency and
  // thumbs: no error count, so nothing there moves with this definition.
  it("leaves the status page's figures as they were: operational, p95 latency, no incidents", async () => {
    const { p, slug } = await world();
    const pageSlug = unique("errors");
    const res = await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: {
        status_page: {
          slug: pageSlug,
          title: "Errors",
          deployments: [{ slug, name: "Assistant" }],
        },
      },
    });
    expect(res.status).toBe(200);
    const html = await (await call(`/status/${pageSlug}`)).text();
    expect(html).toContain("All systems operational");
    expect(html).toContain('<span class="state operational">Operational</span>');
    expect(html).toContain("Latency p95, 24 h <b>500 ms</b>");
    expect(html).toContain("No incidents in the last 14 days.");
  });
});

describe("the backfill of older rollups", () => {
  it("corrects rows that counted every non-ok status from their summary's status counts", async () => {
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.endsWith("_rollup_errors_only.sql"));
    expect(migration).toBeDefined();
    const id = unique("old");
    const summary = (error: number, timeout: number) =>
      JSON.stringify({ count: 100, status: { ok: 100 - error - timeout, error, timeout } });
    const insert = env.DB.prepare(
      `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
         feedback_down, cost_usd, summary, updated_at) VALUES (?1, ?2, ?3, 100, ?4, 0, 0, 0, ?5, 0)`,
    );
    await env.DB.batch([
      // Written before: 10 errors and 10 timeouts stored as 20.
      insert.bind(id, "1h", 0, 20, summary(10, 10)),
      insert.bind(id, "1m", 0, 20, summary(10, 10)),
      // Only timeouts: no error at all.
      insert.bind(id, "1h", 3_600_000, 5, summary(0, 5)),
      // Already right, and a row whose summary has no status counts: both kept.
      insert.bind(id, "1h", 7_200_000, 3, summary(3, 0)),
      insert.bind(id, "1h", 10_800_000, 4, JSON.stringify({ count: 100 })),
    ]);
    for (const q of migration?.queries ?? []) await env.DB.prepare(q).run();
    expect(await errorCounts(id)).toEqual([
      { resolution: "1h", bucket_start: 0, error_count: 10 },
      { resolution: "1m", bucket_start: 0, error_count: 10 },
      { resolution: "1h", bucket_start: 3_600_000, error_count: 0 },
      { resolution: "1h", bucket_start: 7_200_000, error_count: 3 },
      { resolution: "1h", bucket_start: 10_800_000, error_count: 4 },
    ]);
  });
});
