// The deployment page draws, behind each chart, the baseline the checks compare with: a
// quantile chart the baseline's p5–p95, a rate chart the 95 % interval of its rate; and on
// the chart of each rule's metric the rule's threshold from its latest check.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../src/drift/wilson-interval";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours, seedPinnedBaseline } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();

async function world(opts: { pinned: boolean }) {
  const p = await createProject("dash-band");
  const slug = uniqueSlug("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  await seedHours(deploymentId, NOW, 24);
  if (opts.pinned) await seedPinnedBaseline(deploymentId, slug, NOW);
  // The latency rule's latest check: p95 900 ms in the baseline, threshold ×1.5.
  await env.DB.prepare(
    `INSERT INTO check_results (deployment_id, rule_id, minute, outcome, value, baseline_value, statistic, threshold, message)
     VALUES (?1, 'default:latency_ms_p95', ?2, 'ok', 950, 900, 1.05, 1.5, 'p95 950 ms vs 900 ms')`,
  )
    .bind(deploymentId, Math.floor(NOW / 60_000) * 60_000 - 60_000)
    .run();
  return {
    cookie: await dashboardCookie(p.read),
    page: `/dashboard/d/production/${slug}?range=24h`,
  };
}

const chartOf = (html: string, id: string) =>
  new RegExp(`<figure[^>]*id="chart-${id}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? "";
const bandOf = (chart: string) => {
  const m = /<rect class="bl"[^>]*data-lo="([\d.e-]+)" data-hi="([\d.e-]+)"/.exec(chart);
  return m ? { lo: Number(m[1]), hi: Number(m[2]) } : null;
};

describe("dashboard baseline band", () => {
  it("shades the pinned baseline's p5–p95 behind the latency chart", async () => {
    const { cookie, page } = await world({ pinned: true });
    const res = await call(page, { headers: { cookie } });
    expect(res.status).toBe(200);
    const latency = chartOf(await res.text(), "latency");
    const band = bandOf(latency);
    // The sketch's quantiles are within 1 % of the true ones (50 and 950 ms).
    expect(band?.lo).toBeGreaterThan(50 * 0.99);
    expect(band?.lo).toBeLessThan(51 * 1.01);
    expect(band?.hi).toBeGreaterThan(950 * 0.99);
    expect(band?.hi).toBeLessThan(951 * 1.01);
    expect(latency).toMatch(/<title>baseline p5–p95 5\d ms – 9\d\d ms<\/title>/);
    expect(latency).toContain('data-level="band"');
  });

  it("shades the 95 % interval of the baseline's error rate behind the error-rate chart", async () => {
    const { cookie, page } = await world({ pinned: true });
    const errors = chartOf(await (await call(page, { headers: { cookie } })).text(), "error_rate");
    const w = wilsonInterval(50, 1000);
    expect(bandOf(errors)).toEqual({
      lo: Number(w.lower.toPrecision(6)),
      hi: Number(w.upper.toPrecision(6)),
    });
    expect(errors).toContain("baseline 95 % interval");
  });

  it("draws the latency rule's threshold from its latest check, named, without an incident", async () => {
    const { cookie, page } = await world({ pinned: true });
    const latency = chartOf(await (await call(page, { headers: { cookie } })).text(), "latency");
    expect(latency).toMatch(
      /<path class="lv threshold" d="M0,[\d.]+H600"><title>threshold 1.35 s \(Latency p95 rose\)<\/title>/,
    );
  });

  it("draws no band on counts, nor without a baseline", async () => {
    const pinned = await world({ pinned: true });
    const html = await (await call(pinned.page, { headers: { cookie: pinned.cookie } })).text();
    expect(chartOf(html, "requests")).not.toContain('class="bl"');
    const bare = await world({ pinned: false });
    const none = await (await call(bare.page, { headers: { cookie: bare.cookie } })).text();
    // The seeded rollups are in D1 only: the object holds no hours, so no rolling baseline.
    expect(none).not.toContain('class="bl"');
  });
});
