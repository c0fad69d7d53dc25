// Custom rules beyond the defaults: static thresholds, KS, Wasserstein, rates as mixes,
// "down" directions, custom evals and tag mixes.
import { describe, expect, it } from "vitest";
import { type CheckInput, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { type CreateRule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { addEvent, type Bucket, emptyBucket } from "../../../src/window/bucket";
import { interaction } from "../../sample-events";
import { seededRandom as rng } from "../../sample-values";
import { traffic } from "../synthetic";

const rule = (fields: CreateRule) => RuleSchema.parse({ id: "custom", ...fields });
const pair = (current: Bucket, baseline: Bucket | null): CheckInput => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 10_080,
});

/** Interactions whose `evals.groundedness` and `tags.intent` come from the given draws. */
function scored(n: number, seed: number, mean: number, refundShare: number): Bucket {
  const r = rng(seed);
  const b = emptyBucket();
  for (let i = 0; i < n; i++) {
    const score = Math.min(1, Math.max(0.01, mean + 0.1 * (r() + r() + r() - 1.5)));
    const intent = r() < refundShare ? "refund" : "question";
    addEvent(b, interaction({ evals: { groundedness: score }, tags: { intent } }));
  }
  return b;
}

describe("static thresholds", () => {
  const thumbs = rule({
    name: "naive",
    metric: "thumbs_down_rate",
    test: "static",
    threshold: 0.08,
  });

  it("compare the window's value with a fixed number and need no baseline", () => {
    const high = evaluateRule(thumbs, pair(traffic(500, 1, { thumbsDown: 0.12 }), null));
    expect(high.outcome).toBe("breach");
    expect(high.message).toMatch(
      /^thumbs-down rate, static threshold, n = 500: thumbs-down rate = 1\d(\.\d+)? % ≥ 8 %$/,
    );
    expect(evaluateRule(thumbs, pair(traffic(500, 1), null)).outcome).toBe("ok");
  });

  it("read quantiles of distributions and can alert downwards", () => {
    const p95 = rule({
      name: "p95",
      metric: "latency_ms",
      test: "static",
      threshold: 2000,
      quantile: "p95",
    });
    expect(evaluateRule(p95, pair(traffic(500, 2, { latencyMedian: 2000 }), null)).outcome).toBe(
      "breach",
    );
    const floor = rule({
      name: "retrieval",
      metric: "retrieval_top_score",
      test: "static",
      threshold: 0.6,
      quantile: "p50",
      direction: "down",
    });
    expect(evaluateRule(floor, pair(traffic(500, 2), null)).outcome).toBe("ok");
  });
});

describe("distribution tests", () => {
  const baseline = traffic(20_000, 3);

  it("KS fires on a shifted distribution at its significance level and not on the same one", () => {
    const ks = rule({
      name: "ks",
      metric: "output_tokens",
      test: "ks",
      threshold: 0.1,
      alpha: 1e-4,
    });
    const shifted = evaluateRule(ks, pair(traffic(1500, 4, { tokensMedian: 260 }), baseline));
    expect(shifted.outcome).toBe("breach");
    expect(shifted.statistic).toBeGreaterThan(0.2);
    expect(shifted.p_value).toBeLessThan(1e-10);
    expect(evaluateRule(ks, pair(traffic(1500, 5), baseline)).outcome).toBe("ok");
  });

  it("Wasserstein is normalised by the baseline's spread", () => {
    const w = rule({ name: "w", metric: "latency_ms", test: "wasserstein", threshold: 0.1 });
    const slower = evaluateRule(w, pair(traffic(1500, 4, { latencyMedian: 900 }), baseline));
    expect(slower.outcome).toBe("breach");
    expect(slower.message).toMatch(/: Wasserstein \/ baseline std = 0\.\d+ ≥ 0\.1$/);
    expect(evaluateRule(w, pair(traffic(1500, 6), baseline)).outcome).toBe("ok");
  });

  it("quantile ratios can watch for a drop", () => {
    const faster = rule({
      name: "down",
      metric: "latency_ms",
      test: "quantile_ratio",
      threshold: 1.5,
      quantile: "p50",
      direction: "down",
    });
    const result = evaluateRule(faster, pair(traffic(1500, 4, { latencyMedian: 300 }), baseline));
    expect(result.outcome).toBe("breach");
    expect(result.message).toMatch(/: p50 ratio = 0\.\d+ ≤ 0\.667$/);
  });

  it("custom evals are tested like built-in distributions", () => {
    const psi = rule({
      name: "eval",
      metric: "evals.groundedness",
      test: "psi",
      threshold: 0.1,
      alpha: 1e-5,
    });
    const base = scored(10_000, 7, 0.8, 0.2);
    expect(evaluateRule(psi, pair(scored(1000, 8, 0.8, 0.2), base)).outcome).toBe("ok");
    const worse = evaluateRule(psi, pair(scored(1000, 8, 0.65, 0.2), base));
    expect(worse.outcome).toBe("breach");
    expect(worse.message).toMatch(/^eval groundedness median .*: PSI = [\d.]+ ≥ [\d.]+$/);
  });
});

describe("mix tests", () => {
  it("a tag mix fires on a new intent share, naming the category", () => {
    const intents = rule({
      name: "intent",
      metric: "tags.intent",
      test: "chi_squared",
      threshold: 0.1,
      alpha: 1e-3,
    });
    const base = scored(10_000, 7, 0.8, 0.2);
    expect(evaluateRule(intents, pair(scored(1000, 9, 0.8, 0.2), base)).outcome).toBe("ok");
    const result = evaluateRule(intents, pair(scored(1000, 9, 0.8, 0.6), base));
    expect(result.outcome).toBe("breach");
    expect(result.message).toMatch(
      /^tag intent mix: "(refund|question)" \d+(\.\d+)? % vs \d+(\.\d+)? % baseline/,
    );
  });

  it("a rate can be tested as a two-category mix (Evidently's test for binary columns)", () => {
    const js = rule({ name: "js", metric: "error_rate", test: "chi_squared", threshold: 0.1 });
    const base = traffic(20_000, 3);
    expect(evaluateRule(js, pair(traffic(1500, 4, { errorRate: 0.15 }), base)).outcome).toBe(
      "breach",
    );
    expect(evaluateRule(js, pair(traffic(1500, 4), base)).outcome).toBe("ok");
  });
});
