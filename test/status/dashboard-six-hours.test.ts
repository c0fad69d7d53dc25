// The 6-hour chart: per minute from D1's 1-minute rollups (which the Durable Object's alarm
// writes and retention keeps 48 hours), not from the object's 2 hours of minute buckets.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createProject } from "../helpers";
import { seedDeployment, seedPinnedBaseline } from "./seed";
import { dashboardCookie } from "./sign-in";

const MIN = 60_000;
let n = 0;

/**
 * 6 hours of minute rollups, every minute 10 requests; 5 h ago a minute with 6 errors; a
 * pinned baseline (a band on every chart but requests and cost) and a threshold on every rate chart.
 */
async function world() {
  const now = Date.now();
  const p = await createProject("dash-6h");
  const slug = `six-${now.toString(36)}-${n++}`;
  const deploymentId = await seedDeployment(p.id, slug, now);
  const stmt = env.DB.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, '1m', ?2, 10, ?3, 2, 1, 400, ?4, 0.02, ?5, ?6)`,
  );
  const summary = JSON.stringify({
    distributions: {
      ttft_ms: { p95: 300 },
      output_chars: { p50: 600 },
      retrieval_top_score: { p50: 0.8 },
      evals: { groundedness: { mean: 0.9 } },
    },
    rates: { escalated: 0.1 },
  });
  const top = Math.floor(now / MIN) * MIN;
  await env.DB.batch(
    Array.from({ length: 360 }, (_, k) =>
      stmt.bind(deploymentId, top - k * MIN, k === 300 ? 6 : 0, 800 + (k % 37) * 11, summary, now),
    ),
  );
  await seedPinnedBaseline(deploymentId, slug, now);
  const check = env.DB.prepare(
    `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
     VALUES (?1, ?2, ?3, 'ok', 0.06, 0.05, 1.2, 4, 'within the baseline')`,
  );
  const rules = ["error_rate", "thumbs_down_rate", "escalation_rate"].map((m) => `default:${m}`);
  await env.DB.batch(rules.map((r) => check.bind(deploymentId, r, top - MIN)));
  return { cookie: await dashboardCookie(p.read), page: `/dashboard/d/production/${slug}` };
}

const chartOf = (html: string, id: string) =>
  new RegExp(`<figure[^>]*id="chart-${id}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? "";

describe("dashboard 6-hour chart", () => {
  it("draws 6 hours per minute from the 1-minute rollups, within the page budget", async () => {
    const { cookie, page } = await world();
    const res = await call(`${page}?range=6h`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Quality over 6 hours, per minute");
    expect(chartOf(html, "requests")).toMatch(/latest requests 10 · range 10 to 10/);
    // The one bad minute 5 hours ago is its own point, not averaged into an hour.
    expect(chartOf(html, "error_rate")).toMatch(/range 0 % to 60 %/);
    expect(html.match(/<rect class="bl"/g)?.length).toBe(8);
    expect(html.match(/<path class="lv threshold"/g)?.length).toBe(3);
    const bytes = new TextEncoder().encode(html).length;
    console.log(`deployment page, 6 h per minute: ${bytes} B`);
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it("offers the 6-hour range beside the others", async () => {
    const { cookie, page } = await world();
    const html = await (await call(page, { headers: { cookie } })).text();
    expect(html).toMatch(/href="[^"]*\?range=6h"/);
  });
});
