// Distribution-shape rules (ks, psi) created without alpha hold the default significance
// (src/alerts/rules/distribution-alpha.ts): on steady traffic they stay within the false-alarm
// budget, where their effect floor alone fired in about one small window in ten.
import { describe, expect, it } from "vitest";
import { type CheckInput, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { DISTRIBUTION_ALPHA } from "../../../src/alerts/rules/distribution-alpha";
import { type CreateRule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { type Bucket, emptyBucket } from "../../../src/window/bucket";
import { sketchAdd } from "../../../src/window/sketch";
import { lognormal, seededRandom } from "../../sample-values";

const rule = (fields: CreateRule) => RuleSchema.parse({ id: "custom", ...fields });

/** `n` latencies, lognormal around `median` (σ 0.5 on the log scale), in one bucket. */
function latencies(n: number, random: () => number, median = 650): Bucket {
  const b = emptyBucket();
  for (let i = 0; i < n; i++) sketchAdd(b.dists.latency_ms, lognormal(random, median, 0.5));
  return b;
}

const input = (current: Bucket, baseline: Bucket): CheckInput => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 10_080,
});

describe("a distribution rule created without alpha", () => {
  const ks = rule({ name: "ks", metric: "latency_ms", test: "ks", threshold: 0.1 });
  const psi = rule({ name: "psi", metric: "latency_ms", test: "psi", threshold: 0.1 });
  const random = seededRandom(23);
  const baseline = latencies(20_000, random);
  // 10 events a minute: a 15-minute window holds 150 values.
  const windows = Array.from({ length: 2_000 }, () => latencies(150, random));

  it("stays within the false-alarm budget on steady traffic, where its floor alone fired in ~1 window in 10", () => {
    const budget = { ks: 0, psi: 0 };
    const floorOnly = { ks: 0, psi: 0 };
    for (const w of windows) {
      const k = evaluateRule(ks, input(w, baseline));
      const p = evaluateRule(psi, input(w, baseline));
      if (k.outcome === "breach") budget.ks++;
      if (p.outcome === "breach") budget.psi++;
      if ((k.statistic ?? 0) >= ks.threshold) floorOnly.ks++;
      if ((p.statistic ?? 0) >= psi.threshold) floorOnly.psi++;
    }
    // At alpha 1e-5, 2,000 windows expect 0.02 breaches; the effect floor alone (the rule
    // before the default) breached in 8-12 % of them: ~195 incidents a month at 10/min.
    expect(budget).toEqual({ ks: 0, psi: 0 });
    expect(floorOnly.ks / windows.length).toBeGreaterThan(0.05);
    expect(floorOnly.psi / windows.length).toBeGreaterThan(0.05);
  });

  it("names the default significance among the conditions that decide", () => {
    expect(DISTRIBUTION_ALPHA).toBe(1e-5);
    const k = evaluateRule(ks, input(windows[0] ?? emptyBucket(), baseline));
    expect(k.conditions?.map((c) => [c.name, c.fires])).toEqual([
      ["KS D", "≥ 0.1"],
      ["KS p", "< 1e-5"],
    ]);
    const p = evaluateRule(psi, input(windows[0] ?? emptyBucket(), baseline));
    expect(p.message).toMatch(/no-drift 99\.999 % quantile/);
  });

  it("still fires on latency × 1.5 within one 150-value window", () => {
    const shifted = latencies(150, seededRandom(7), 975);
    expect(evaluateRule(ks, input(shifted, baseline)).outcome).toBe("breach");
    expect(evaluateRule(psi, input(shifted, baseline)).outcome).toBe("breach");
  });

  it("keeps an alpha it names", () => {
    const loose = rule({
      name: "ks",
      metric: "latency_ms",
      test: "ks",
      threshold: 0.1,
      alpha: 0.5,
    });
    const k = evaluateRule(loose, input(windows[0] ?? emptyBucket(), baseline));
    expect(k.conditions?.[1]?.fires).toBe("< 0.5");
  });
});
