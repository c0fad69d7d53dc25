// Simulated streams through the real evaluation (Durable Object windows, D1 rules,
// incidents): a stable deployment raises nothing; each step change fires the right
// rule within the window plus `for` plus one tick, and resolves after recovery.
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { runTick } from "../../../src/entrances/tick";
import {
  type Behaviour,
  deploymentRow,
  incidentsOf,
  NORMAL,
  type Simulation,
  simulate,
} from "../../simulate";

const MINUTE = 60_000;
/** The step starts this many minutes before now and lasts STEP_MINUTES. */
const STEP_START = 90;
const STEP_MINUTES = 40;

/** Evaluates every minute from `fromAgo` minutes before now up to now. */
async function tickThrough(sim: Simulation, fromAgo: number) {
  const d = await deploymentRow(sim);
  for (let ago = fromAgo; ago >= 0; ago--) await evaluateDeployment(env, d, sim.now - ago * MINUTE);
}

const ruleOf = (id: string) => {
  const rule = DEFAULT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};

async function expectStepDetected(slug: string, change: Partial<Behaviour>, ruleId: string) {
  const sim = await simulate(slug, (ago) =>
    ago <= STEP_START && ago > STEP_START - STEP_MINUTES ? { ...NORMAL, ...change } : NORMAL,
  );
  await tickThrough(sim, STEP_START + 5);
  const incidents = await incidentsOf(sim.deploymentId);
  const hit = incidents.find((i) => i.rule_id === ruleId);
  expect(hit, `${ruleId} should fire; got ${JSON.stringify(incidents)}`).toBeDefined();
  const rule = ruleOf(ruleId);
  const stepAt = sim.now - STEP_START * MINUTE;
  const firedAfter = ((hit?.firing_at ?? Number.POSITIVE_INFINITY) - stepAt) / MINUTE;
  expect(firedAfter).toBeGreaterThan(0);
  expect(firedAfter).toBeLessThanOrEqual(rule.window_minutes + rule.for_minutes + 1);
  const recoveredAt = stepAt + STEP_MINUTES * MINUTE;
  expect(hit?.status).toBe("resolved");
  expect(
    ((hit?.resolved_at ?? Number.POSITIVE_INFINITY) - recoveredAt) / MINUTE,
  ).toBeLessThanOrEqual(rule.window_minutes + 1);
  return incidents;
}

// Each test evaluates ~100 minutes against a 7-day baseline (166 hourly buckets merged per
// evaluation): ~25 s alone, and well over 30 s while the whole suite shares the CPU.
describe("drift detection on simulated streams", { timeout: 90_000 }, () => {
  it("raises no incident for a stable deployment, ticking through the cron path", async () => {
    const sim = await simulate("stable", () => NORMAL, 100, 7);
    for (let ago = 60; ago >= 0; ago--) await runTick(env, sim.now - ago * MINUTE + 1_234);
    const incidents = await incidentsOf(sim.deploymentId);
    expect(incidents.filter((i) => i.firing_at !== null)).toEqual([]);
    const checks = await env.DB.prepare(
      "SELECT count(DISTINCT minute) AS n FROM check_results WHERE deployment_id = ?",
    )
      .bind(sim.deploymentId)
      .first<{ n: number }>();
    expect(checks?.n).toBe(61);
  });

  it("fires on thumbs-down 5 % → 12 % and resolves after recovery", async () => {
    await expectStepDetected("thumbs", { thumbsDownRate: 0.12 }, "default:thumbs_down_rate");
  });

  it("fires on p95 latency × 2", async () => {
    await expectStepDetected("latency", { latencyFactor: 2 }, "default:latency_ms_p95");
  });

  it("fires on an output-length distribution shift", async () => {
    await expectStepDetected("length", { charsFactor: 1.6 }, "default:output_chars");
  });

  it("fires on a model swap", async () => {
    await expectStepDetected("swap", { model: "gpt-4o" }, "default:model_mix");
  });

  it("fires on error rate 1 % → 6 % as critical", async () => {
    const incidents = await expectStepDetected("errors", { errorRate: 0.06 }, "default:error_rate");
    expect(incidents.find((i) => i.rule_id === "default:error_rate")).toBeDefined();
  });

  it("sends nothing twice when a tick runs twice for the same minute", async () => {
    const sim = await simulate(
      "twice",
      (ago) => (ago <= 30 ? { ...NORMAL, errorRate: 0.2 } : NORMAL),
      100,
      3,
    );
    await env.DB.prepare(
      "INSERT INTO channels (id, project_id, type, name, url, enabled, created_at) VALUES (?, ?, 'slack', 's', ?, 1, ?)",
    )
      .bind(`ch_${sim.slug}`, sim.projectId, `${inject("receiverUrl")}/hook/${sim.slug}`, sim.now)
      .run();
    const d = await deploymentRow(sim);
    for (let ago = 30; ago >= 0; ago--) {
      await evaluateDeployment(env, d, sim.now - ago * MINUTE);
      await evaluateDeployment(env, d, sim.now - ago * MINUTE);
    }
    const deliveries = await env.DB.prepare(
      "SELECT incident_ids FROM deliveries WHERE project_id = ?",
    )
      .bind(sim.projectId)
      .all<{ incident_ids: string }>();
    const firing = (await incidentsOf(sim.deploymentId)).filter((i) => i.firing_at !== null);
    expect(firing.length).toBeGreaterThan(0);
    // One grouped message per minute something fired (the window rules together, the
    // sequential detector on its own minute), and no incident in two of them.
    const notified = deliveries.results.flatMap((r) => JSON.parse(r.incident_ids) as string[]);
    expect(notified.length).toBeGreaterThan(0);
    expect(new Set(notified).size).toBe(notified.length);
    expect(deliveries.results.length).toBeLessThanOrEqual(2);
  });
});
