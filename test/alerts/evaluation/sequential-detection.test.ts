// Sequential detection through the real evaluation path (Durable Object state and minute
// buckets, D1 rules and incidents): quiet before a step change, firing minutes after it, with a
// message that names the change.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { deploymentRow, incidentsOf, NORMAL, simulate } from "../../simulate";

const MINUTE = 60_000;
const RULE = "default:thumbs_down_rate:cusum";

// Each test evaluates ~100 minutes against a 7-day baseline (166 hourly buckets merged per
// evaluation): ~25 s alone, and well over 30 s while the whole suite shares the CPU.
describe("sequential detection in the evaluation path", { timeout: 90_000 }, () => {
  it("stays quiet for 55 minutes without change, then fires on thumbs-down 5 % → 12 %", async () => {
    const stepAgo = 45;
    const sim = await simulate("cusum-step", (ago) =>
      ago <= stepAgo ? { ...NORMAL, thumbsDownRate: 0.12 } : NORMAL,
    );
    const d = await deploymentRow(sim);
    for (let ago = 100; ago >= stepAgo - 20; ago--)
      await evaluateDeployment(env, d, sim.now - ago * MINUTE);

    const incidents = await incidentsOf(sim.deploymentId);
    const sequential = incidents.filter((i) => i.rule_id.endsWith(":cusum"));
    const stepAt = sim.now - stepAgo * MINUTE;
    // Nothing sequential fired on the 55 unchanged minutes.
    expect(sequential.filter((i) => (i.firing_at ?? Number.POSITIVE_INFINITY) < stepAt)).toEqual(
      [],
    );
    const hit = sequential.find((i) => i.rule_id === RULE);
    expect(hit, JSON.stringify(incidents)).toBeDefined();
    // Bound ~3.3 minutes of evidence (log ARL0 / KL at 20 thumbs a minute: ~16), plus the minute
    // a bucket settles and the tick: within 20 minutes at this traffic.
    const delay = ((hit?.firing_at ?? 0) - stepAt) / MINUTE;
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(20);

    const check = await env.DB.prepare(
      "SELECT message, statistic, threshold FROM check_results WHERE deployment_id = ? AND rule_id = ? AND minute = ?",
    )
      .bind(sim.deploymentId, RULE, hit?.firing_at ?? 0)
      .first<{ message: string; statistic: number; threshold: number }>();
    expect(check?.message).toMatch(
      /^thumbs-down rate rose from [\d.]+ % to [\d.]+ % around \d\d:\d\d UTC \(alarm at \d\d:\d\d UTC, held until the rate is back\): CUSUM = [\d.]+ ≥ [\d.]+ \(one false alarm per 30 days per deployment\); evidence of return = [\d.]+ < [\d.]+$/,
    );
    expect(check?.statistic ?? 0).toBeGreaterThanOrEqual(
      check?.threshold ?? Number.POSITIVE_INFINITY,
    );

    const stored = await env.DEPLOYMENT_MONITOR.getByName(sim.deploymentId).sequentialState();
    expect(JSON.parse(stored ?? "{}")).toMatchObject({ key: "rolling|" });
  });
});
