// A new deployment alerts from its first hour (issue 22, item 2): with no history at all,
// its own first traffic is the baseline as soon as the first window has passed, so a
// change 25 minutes into its life fires within the hour, and steady traffic stays quiet.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { deploymentRow, incidentsOf, NORMAL, simulateFresh } from "../../simulate";

const MINUTE = 60_000;

describe("a fresh deployment at 2 events/s", { timeout: 120_000 }, () => {
  it("fires within its first hour when latency goes ×2.5 and thumbs-down 5 % → 40 % at minute 25", async () => {
    const changed = { ...NORMAL, latencyFactor: 2.5, thumbsDownRate: 0.4 };
    const sim = await simulateFresh("cold-change", (m) => (m >= 25 ? changed : NORMAL), 60);
    const d = await deploymentRow(sim);
    for (let m = 1; m <= 60; m++) await evaluateDeployment(env, d, sim.born + m * MINUTE);
    const fired = (await incidentsOf(sim.deploymentId)).filter((i) => i.firing_at !== null);
    const rules = fired.map((i) => i.rule_id);
    expect(rules).toEqual(expect.arrayContaining(["default:latency_ms_p95"]));
    expect(rules.some((r) => r.startsWith("default:thumbs_down_rate"))).toBe(true);
    for (const i of fired) {
      expect(i.firing_at ?? 0).toBeGreaterThan(sim.born + 25 * MINUTE);
      expect(i.firing_at ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(sim.born + 60 * MINUTE);
    }
  });

  it("raises nothing on steady traffic over its first two hours", async () => {
    const sim = await simulateFresh("cold-steady", () => NORMAL, 120, 120, 7);
    const d = await deploymentRow(sim);
    for (let m = 1; m <= 120; m++) await evaluateDeployment(env, d, sim.born + m * MINUTE);
    const fired = (await incidentsOf(sim.deploymentId)).filter((i) => i.firing_at !== null);
    expect(fired).toEqual([]);
    const checks = await env.DB.prepare(
      "SELECT count(*) AS n FROM check_results WHERE deployment_id = ? AND outcome = 'ok' AND minute <= ?",
    )
      .bind(sim.deploymentId, sim.born + 30 * MINUTE)
      .first<{ n: number }>();
    // Compared (not "no baseline yet") well within the first half hour.
    expect(checks?.n).toBeGreaterThan(0);
  });
});
