// The 1-hour and 2-hour charts: per minute from the deployment's Durable Object (its 1-minute
// buckets), and at an incident the rule's baseline and threshold drawn across its chart.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { call, createProject, uniqueSlug } from "../helpers";
import { encodedMinutes } from "../seed-buckets";
import { seedDeployment, seedIncident } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();
const MIN = 60_000;

/** 30 minutes of traffic, 10 requests a minute, the last 10 minutes with 4 errors each. */
async function world() {
  const p = await createProject("dash-minutes");
  const slug = uniqueSlug("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  const events: NormalizedInteraction[] = [];
  for (let m = 1; m <= 30; m++) {
    for (let k = 0; k < 10; k++) {
      events.push({
        type: "interaction",
        id: `e${m}-${k}`,
        deployment: slug,
        environment: "production",
        ts: NOW - m * MIN,
        status: m <= 10 && k < 4 ? "error" : "ok",
        latency_ms: 500 + k,
      });
    }
  }
  const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  await stub.apply({ deploymentId, token: `t-${slug}`, buckets: encodedMinutes(events) });
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId,
    severity: "critical",
    metric: "error_rate",
    status: "firing",
    firingAt: NOW - 8 * MIN,
  });
  await env.DB.prepare(
    `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
     VALUES (?1, 'default:error_rate', ?2, 'breach', 0.4, 0.02, 8, 4, 'error rate 40 % vs 2 %')`,
  )
    .bind(deploymentId, NOW - MIN)
    .run();
  return {
    cookie: await dashboardCookie(p.read),
    incident,
    page: `/dashboard/d/production/${slug}`,
  };
}

const chartOf = (html: string, id: string) =>
  new RegExp(`<figure[^>]*id="chart-${id}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? "";

describe("dashboard minute charts", () => {
  it("draws the last hour per minute from the Durable Object's 1-minute buckets", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?range=1h`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Quality over the last hour, per minute");
    const requests = chartOf(html, "requests");
    expect(requests).toContain("Requests per minute");
    expect(requests).toMatch(/latest requests 10 · range 10 to 10/);
    expect(chartOf(html, "error_rate")).toMatch(/latest errors 40 %/);
  });

  it("draws the incident's baseline and threshold on its chart, shaded from when it fired", async () => {
    const { cookie, page, incident } = await world();
    const html = await (
      await call(`${page}?range=1h&incident=${incident}`, { headers: { cookie } })
    ).text();
    const chart = chartOf(html, "error_rate");
    expect(chart).toContain('class="chart card focus"');
    expect(chart).toMatch(
      /<path class="lv threshold" d="M0,[\d.]+H600"><title>threshold 21 %<\/title>/,
    );
    expect(chart).toMatch(/<path class="lv baseline"[^>]*><title>baseline 2.0 %<\/title>/);
    expect(chart).toContain('class="band focus"');
    // Changing the range keeps the page at the incident.
    expect(html).toContain(`?range=2h&amp;incident=${incident}#alert`);
    // Other charts carry no levels.
    expect(chartOf(html, "latency")).not.toContain('class="lv');
  });

  it("keeps the hourly ranges on D1's rollups", async () => {
    const { cookie, page } = await world();
    const html = await (await call(`${page}?range=24h`, { headers: { cookie } })).text();
    expect(chartOf(html, "requests")).toContain("Requests per hour");
  });
});
