// What a rule reports (statistic, p-value, effect, values, n) checked against the textbook
// definitions on exact counts, with reference values from scipy 1.17 (computed once, quoted
// below). A rule that reports the two-sided p-value where its direction makes it one-sided,
// or the wrong tail, or another statistic than its test's, fails here: the references of
// the alternatives differ by far more than the stated precision.
import { describe, expect, it } from "vitest";
import {
  type CheckInput,
  type CheckResult,
  evaluateRule,
} from "../../../src/alerts/evaluation/evaluate";
import { type CreateRule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import type { NormalizedInteraction } from "../../../src/ingest/normalized";
import type { Bucket } from "../../../src/window/bucket";
import { expectClose } from "../../drift/close";
import { bucketOf, interaction } from "../../sample-events";

const rule = (fields: Omit<CreateRule, "name" | "min_samples">) =>
  RuleSchema.parse({ id: "ref", name: "ref", min_samples: 1, ...fields });
const pair = (current: Bucket, baseline: Bucket | null, extra: Partial<CheckInput> = {}) => ({
  current,
  baseline,
  currentMinutes: 10,
  baselineMinutes: 10_080,
  ...extra,
});

/** One bucket holding `count` interactions of each given shape. */
const mix = (...parts: [number, Partial<NormalizedInteraction>][]) =>
  bucketOf(
    parts.flatMap(([count, fields]) => Array.from({ length: count }, () => interaction(fields))),
  );
const errors = (n: number, k: number) => mix([k, { status: "error" }], [n - k, {}]);
const pValue = (r: CheckResult): number => {
  if (r.p_value === undefined) throw new Error(`no p-value: ${r.message}`);
  return r.p_value;
};
const stat = (r: CheckResult): number => {
  if (r.statistic === null) throw new Error(`no statistic: ${r.message}`);
  return r.statistic;
};

describe("z-test rules on 30/100 errors against 20/200 (and 10/100 against 60/200)", () => {
  const up = pair(errors(100, 30), errors(200, 20));
  const down = pair(errors(100, 10), errors(200, 60));
  const zRule = (fields: Partial<CreateRule> = {}) =>
    rule({ metric: "error_rate", test: "z_test", threshold: 1, ...fields });

  it("report the pooled z, the rates and their difference", () => {
    const r = evaluateRule(zRule(), up);
    // (0.3 - 0.1) / sqrt(p (1 - p) (1/200 + 1/100)), p = 50/300 (statsmodels proportions_ztest).
    expectClose(stat(r), 4.381780460041329, 1e-12);
    expect(r.value).toBe(0.3);
    expect(r.baseline_value).toBe(0.1);
    expectClose(r.effect ?? Number.NaN, 0.2, 1e-12);
    expect([r.n_current, r.n_baseline]).toEqual([100, 200]);
    expectClose(stat(evaluateRule(zRule({ direction: "down" }), down)), -3.8609367125267213, 1e-12);
  });

  it("report the one-sided normal p-value of their direction, the two-sided one for both", () => {
    // norm.sf(z) = 5.886e-6; the two-sided 2 sf(|z|) = 1.177e-5 would fail.
    expectClose(pValue(evaluateRule(zRule(), up)), 5.885669548807499e-6, 1e-9);
    // norm.cdf(z) for "down".
    expectClose(
      pValue(evaluateRule(zRule({ direction: "down" }), down)),
      5.6476580147636636e-5,
      1e-9,
    );
    expectClose(
      pValue(evaluateRule(zRule({ direction: "both" }), down)),
      1.1295316029527327e-4,
      1e-9,
    );
    expectClose(
      pValue(evaluateRule(zRule({ direction: "both" }), up)),
      1.1771339097614998e-5,
      1e-9,
    );
  });

  it("with alpha report the exact Poisson tail of the window's count at the pooled rate", () => {
    // P(X >= 30), X ~ Poisson(100 x 50/300): poisson.sf(29, 16.67).
    expectClose(pValue(evaluateRule(zRule({ alpha: 0.01 }), up)), 0.0020580463248871346, 1e-9);
    // P(X <= 10), X ~ Poisson(100 x 70/300).
    expectClose(
      pValue(evaluateRule(zRule({ alpha: 0.01, direction: "down" }), down)),
      0.0016217188988322659,
      1e-9,
    );
    // Two-sided: 2 min(upper, lower), capped at 1.
    expectClose(
      pValue(evaluateRule(zRule({ alpha: 0.01, direction: "both" }), up)),
      0.004116092649774269,
      1e-9,
    );
  });

  it("count thumbs, not interactions, for the thumbs-down rate", () => {
    const thumbs = mix([10, { feedback: -1 }], [30, { feedback: 1 }], [60, {}]);
    const base = mix([20, { feedback: -1 }], [180, { feedback: 1 }]);
    const r = evaluateRule(
      rule({ metric: "thumbs_down_rate", test: "z_test", threshold: 1 }),
      pair(thumbs, base),
    );
    expect([r.value, r.baseline_value, r.n_current, r.n_baseline]).toEqual([0.25, 0.1, 40, 200]);
  });
});

describe("distribution rules on four values (25/25/25/25 % against 10/20/30/40 %)", () => {
  // output_tokens 10, 20, 40, 80: four sketch bins, so quartile bins hold one value each.
  const values = [10, 20, 40, 80];
  const shares = (counts: number[]) =>
    mix(
      ...counts.map(
        (c, i) => [c, { output_tokens: values[i] }] as [number, Partial<NormalizedInteraction>],
      ),
    );
  const input = pair(shares([10, 20, 30, 40]), shares([25, 25, 25, 25]));

  it("PSI reports sum (c - b) ln(c / b), its chi-squared p-value, and KS D as the effect", () => {
    const r = evaluateRule(
      rule({ metric: "output_tokens", test: "psi", threshold: 0.1, bins: 4 }),
      input,
    );
    expectClose(stat(r), 0.22821740957339182, 1e-12);
    // chi2.sf(PSI / (1/100 + 1/100), 3 dof).
    expectClose(pValue(r), 0.009699494489607465, 1e-9);
    expectClose(r.effect ?? Number.NaN, 0.2, 1e-12);
    expect([r.n_current, r.n_baseline]).toEqual([100, 100]);
    // With alpha the applied threshold is the null quantile (1/100 + 1/100) chi2.ppf(0.999, 3).
    const withAlpha = evaluateRule(
      rule({ metric: "output_tokens", test: "psi", threshold: 0.1, bins: 4, alpha: 1e-3 }),
      input,
    );
    expectClose(withAlpha.threshold, 0.3253247239247626, 1e-9);
    expect(withAlpha.outcome).toBe("ok");
  });

  it("KS reports D and the asymptotic two-sided p-value kstwobign.sf(sqrt(nm/(n+m)) D)", () => {
    const r = evaluateRule(rule({ metric: "output_tokens", test: "ks", threshold: 0.1 }), input);
    expectClose(stat(r), 0.2, 1e-12);
    expectClose(pValue(r), 0.03663105270711935, 1e-9);
  });

  it("quantile ratios report value / baseline value, each within the sketch's 1 %", () => {
    const r = evaluateRule(
      rule({ metric: "output_tokens", test: "quantile_ratio", threshold: 1.5, quantile: "p50" }),
      input,
    );
    // Medians: rank floor(0.5 x 99) = 49 falls on 40 in the window and on 20 in the baseline.
    expectClose(r.value ?? Number.NaN, 40, 0.01);
    expectClose(r.baseline_value ?? Number.NaN, 20, 0.01);
    expect(stat(r)).toBe((r.value ?? 0) / (r.baseline_value ?? 1));
    expectClose(stat(r), 2, 0.02);
  });
});

describe("mix, ratio and traffic rules", () => {
  it("chi-squared reports the JS distance (base 2) and the larger of Pearson's p and the exact test's", () => {
    const models = (a: number, b: number, c: number) =>
      mix([a, { model: "a" }], [b, { model: "b" }], [c, { model: "c" }]);
    const r = evaluateRule(
      rule({ metric: "model_mix", test: "chi_squared", threshold: 0.1 }),
      pair(models(20, 40, 40), models(50, 30, 20)),
    );
    // scipy.spatial.distance.jensenshannon(p, q, base=2).
    expectClose(stat(r), 0.27854838569509666, 1e-12);
    // chi2_contingency([[50, 30, 20], [20, 40, 40]], correction=False) gives p = 2.82e-5 on 2
    // dof; the per-category exact test is 3 (Bonferroni) x the smallest two-sided p, each
    // 2 min(hypergeom.sf(c - 1), hypergeom.cdf(c)) of one category against the rest:
    // 3 x 1.389e-5 for "a". The rule reports the larger, 4.17e-5.
    expectClose(pValue(r), 4.166751207099025e-5, 1e-9);
    // The category that moved most: "a", 50 % -> 20 %.
    expect([r.value, r.baseline_value]).toEqual([0.2, 0.5]);
    expect(r.message).toContain('"a" 20 % vs 50 % baseline');
  });

  it("cost ratio reports mean cost per priced interaction over the baseline's", () => {
    const r = evaluateRule(
      rule({ metric: "cost_per_request", test: "ratio", threshold: 1.5 }),
      pair(
        mix([2, { cost_usd: 0.75 }], [2, { cost_usd: 0.25 }], [4, {}]),
        mix([4, { cost_usd: 0.25 }]),
      ),
    );
    expect([r.value, r.baseline_value, r.statistic, r.n_current, r.n_baseline]).toEqual([
      0.5, 0.25, 2, 4, 4,
    ]);
  });

  it("traffic drop reports 1 - observed / expected and the Poisson lower tail", () => {
    const r = evaluateRule(
      rule({ metric: "traffic", test: "traffic_drop", threshold: 0.5 }),
      pair(mix([20, {}]), null, { currentMinutes: 10, baselineVolumePerMinute: 10 }),
    );
    expect([r.statistic, r.value, r.baseline_value, r.n_current, r.n_baseline]).toEqual([
      0.8, 2, 10, 20, 100,
    ]);
    // poisson.cdf(20, 100).
    expectClose(pValue(r), 1.905558742030033e-22, 1e-6);
  });
});
