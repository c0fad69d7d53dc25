// Every comparison a rule makes, probed with a value exactly on its threshold and one just
// past it: the documented side (≥ for effects, < for significance levels, ≥ min_samples)
// must hold at the boundary, so that `>=` written as `>` (or `<` as `<=`) fails a test.
// Rule-level cases take the statistic a rule computes and feed it back as the threshold.
import { describe, expect, it } from "vitest";
import {
  type CheckInput,
  type CheckResult,
  evaluateRule,
} from "../../../src/alerts/evaluation/evaluate";
import { MIN_EXPECTED, poolSparse } from "../../../src/alerts/evaluation/evaluate-mix";
import { beyond, ratioBeyond } from "../../../src/alerts/rules/direction";
import { type CreateRule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import type { NormalizedInteraction } from "../../../src/ingest/normalized";
import { type Bucket, emptyBucket } from "../../../src/window/bucket";
import { bucketOf, interaction } from "../../sample-events";
import { traffic } from "../synthetic";

const rule = (fields: CreateRule) => RuleSchema.parse({ id: "edge", ...fields });
const pair = (current: Bucket, baseline: Bucket | null, extra: Partial<CheckInput> = {}) => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 10_080,
  ...extra,
});
/** A little past x, away from zero. */
const past = (x: number) => x * (1 + 1e-9);
/** A little short of x, towards zero. */
const short = (x: number) => x * (1 - 1e-9);

/** `n` interactions of which `k` have `field` (repeat the rest plain). */
function withCount(
  n: number,
  k: number,
  marked: Partial<NormalizedInteraction>,
  plain: Partial<NormalizedInteraction> = {},
): Bucket {
  return bucketOf(
    Array.from({ length: n }, (_, i) => interaction(i < k ? { ...marked } : { ...plain })),
  );
}
const errors = (n: number, k: number) => withCount(n, k, { status: "error" });
const thumbsDown = (n: number, k: number) => withCount(n, k, { feedback: -1 }, { feedback: 1 });
const costs = (...usd: number[]) => bucketOf(usd.map((cost_usd) => interaction({ cost_usd })));

const statisticOf = (r: CheckResult): number => {
  if (r.statistic === null) throw new Error(`no statistic: ${r.message}`);
  return r.statistic;
};

describe("direction helpers", () => {
  it("beyond holds exactly at the threshold on the alerting side and not short of it", () => {
    expect(beyond("up", 3, 3)).toBe(true);
    expect(beyond("up", short(3), 3)).toBe(false);
    expect(beyond("down", -3, 3)).toBe(true);
    expect(beyond("down", short(-3), 3)).toBe(false);
    expect(beyond("down", 3, 3)).toBe(false);
    expect(beyond("up", -3, 3)).toBe(false);
    expect(beyond("both", 3, 3)).toBe(true);
    expect(beyond("both", -3, 3)).toBe(true);
    expect(beyond("both", short(3), 3)).toBe(false);
    expect(beyond("both", short(-3), 3)).toBe(false);
  });

  it("ratioBeyond holds exactly at t (up) and 1/t (down)", () => {
    expect(ratioBeyond("up", 2, 2)).toBe(true);
    expect(ratioBeyond("up", short(2), 2)).toBe(false);
    expect(ratioBeyond("down", 0.5, 2)).toBe(true);
    expect(ratioBeyond("down", past(0.5), 2)).toBe(false);
    expect(ratioBeyond("down", 2, 2)).toBe(false);
    expect(ratioBeyond("up", 0.5, 2)).toBe(false);
    expect(ratioBeyond("both", 2, 2)).toBe(true);
    expect(ratioBeyond("both", 0.5, 2)).toBe(true);
    expect(ratioBeyond("both", short(2), 2)).toBe(false);
    expect(ratioBeyond("both", past(0.5), 2)).toBe(false);
  });
});

describe("static thresholds", () => {
  // 2 thumbs down of 8: exactly 0.25.
  const window = thumbsDown(8, 2);
  const at = (threshold: number, extra: Partial<CreateRule> = {}) =>
    evaluateRule(
      rule({
        name: "s",
        metric: "thumbs_down_rate",
        test: "static",
        threshold,
        min_samples: 1,
        ...extra,
      }),
      pair(window, null),
    ).outcome;

  it("breach upwards at value = threshold, not just below it", () => {
    expect(at(0.25)).toBe("breach");
    expect(at(past(0.25))).toBe("ok");
  });

  it("breach downwards at value = threshold, not just above it", () => {
    expect(at(0.25, { direction: "down" })).toBe("breach");
    expect(at(short(0.25), { direction: "down" })).toBe("ok");
  });

  it("compare a mean cost and a quantile at their exact value", () => {
    const cost = (threshold: number) =>
      evaluateRule(
        rule({ name: "c", metric: "cost_per_request", test: "static", threshold, min_samples: 1 }),
        pair(costs(0.25, 0.75), null),
      );
    expect(cost(0.5).outcome).toBe("breach");
    expect(cost(0.5).value).toBe(0.5);
    expect(cost(past(0.5)).outcome).toBe("ok");
    const latency = traffic(300, 11);
    const p95 = (threshold: number) =>
      evaluateRule(
        rule({ name: "l", metric: "latency_ms", test: "static", threshold, quantile: "p95" }),
        pair(latency, null),
      );
    const value = statisticOf(p95(1));
    expect(p95(value).outcome).toBe("breach");
    expect(p95(past(value)).outcome).toBe("ok");
  });

  it("run with exactly min_samples observations and not with one fewer", () => {
    expect(at(0.25, { min_samples: 8 })).toBe("breach");
    expect(at(0.25, { min_samples: 9 })).toBe("insufficient_data");
  });
});

describe("z-test rules", () => {
  // 30 % against 10 %: raw difference 0.3 - 0.1 = 0.19999999999999998 in floating point.
  const base = errors(200, 20);
  const cur = errors(100, 30);
  const z = (fields: Partial<CreateRule>, current = cur, baseline = base) =>
    evaluateRule(
      rule({
        name: "z",
        metric: "error_rate",
        test: "z_test",
        threshold: 1,
        min_samples: 1,
        ...fields,
      }),
      pair(current, baseline),
    );
  const zValue = statisticOf(z({}));

  it("breach at z = threshold, not just short of it", () => {
    expect(zValue).toBeGreaterThan(3);
    expect(z({ threshold: zValue }).outcome).toBe("breach");
    expect(z({ threshold: past(zValue) }).outcome).toBe("ok");
  });

  it("breach downwards at z = -threshold and both ways at |z| = threshold", () => {
    const fall = (fields: Partial<CreateRule>) => z({ direction: "down", ...fields }, base, cur);
    const negative = statisticOf(fall({}));
    expect(negative).toBeLessThan(-3);
    expect(fall({ threshold: -negative }).outcome).toBe("breach");
    expect(fall({ threshold: past(-negative) }).outcome).toBe("ok");
    const both = (threshold: number) => z({ direction: "both", threshold }, base, cur).outcome;
    expect(both(-negative)).toBe("breach");
    expect(both(past(-negative))).toBe("ok");
  });

  it("count a change of exactly min_effect (rounded to 1e-12) as reaching it", () => {
    expect(0.3 - 0.1).toBeLessThan(0.2);
    const up = z({ min_effect: 0.2 });
    expect(up.outcome).toBe("breach");
    expect(up.message).toContain("Δ = 20 pts ≥ 20 pts");
    expect(z({ min_effect: 0.2 + 1e-9 }).outcome).toBe("ok");
    const down = z({ min_effect: 0.2, direction: "down" }, base, cur);
    expect(down.outcome).toBe("breach");
    expect(down.message).toContain("Δ = -20 pts ≤ -20 pts");
    expect(z({ min_effect: 0.2 + 1e-9, direction: "down" }, base, cur).outcome).toBe("ok");
  });

  it("need p strictly below alpha", () => {
    const p = z({ alpha: 0.5 }).p_value;
    if (p === undefined) throw new Error("no p-value");
    expect(p).toBeGreaterThan(1e-8);
    expect(z({ alpha: p }).outcome).toBe("ok");
    expect(z({ alpha: past(p) }).outcome).toBe("breach");
  });

  it("run with exactly min_samples in the window and in the baseline, not one fewer", () => {
    expect(z({ min_samples: 100 }).outcome).toBe("breach");
    const window = z({ min_samples: 101 });
    expect(window.outcome).toBe("insufficient_data");
    expect(window.message).toBe("error rate: 100 interactions in the window, need ≥ 101");
    const bigWindow = errors(300, 90);
    expect(z({ min_samples: 200 }, bigWindow).outcome).toBe("breach");
    const baseline = z({ min_samples: 201 }, bigWindow);
    expect(baseline.outcome).toBe("insufficient_data");
    expect(baseline.message).toBe("error rate: 200 interactions in the baseline, need ≥ 201");
  });
});

describe("ratio rules", () => {
  const ratio = (threshold: number, direction: "up" | "down", current: Bucket) =>
    evaluateRule(
      rule({
        name: "r",
        metric: "cost_per_request",
        test: "ratio",
        threshold,
        direction,
        min_samples: 1,
      }),
      pair(current, costs(0.5, 0.5)),
    ).outcome;

  it("breach at a cost ratio of exactly t, and of exactly 1/t downwards", () => {
    expect(ratio(2, "up", costs(1, 1))).toBe("breach");
    expect(ratio(past(2), "up", costs(1, 1))).toBe("ok");
    expect(ratio(2, "down", costs(0.25, 0.25))).toBe("breach");
    expect(ratio(past(2), "down", costs(0.25, 0.25))).toBe("ok");
  });

  it("breach at a quantile ratio of exactly the threshold", () => {
    const q = (threshold: number) =>
      evaluateRule(
        rule({ name: "q", metric: "latency_ms", test: "quantile_ratio", threshold }),
        pair(traffic(500, 12, { latencyMedian: 1300 }), traffic(2000, 13)),
      );
    const r = statisticOf(q(1.01));
    expect(r).toBeGreaterThan(1.5);
    expect(q(r).outcome).toBe("breach");
    expect(q(past(r)).outcome).toBe("ok");
  });
});

describe("distribution and mix rules", () => {
  const baseline = traffic(5000, 21);
  const shifted = traffic(800, 22, { tokensMedian: 230, modelB: 0.3 });
  const run = (fields: Omit<CreateRule, "name">) =>
    evaluateRule(rule({ name: "d", ...fields }), pair(shifted, baseline));

  it("PSI, KS, Wasserstein and JS distance breach at statistic = threshold", () => {
    const cases: Omit<CreateRule, "name">[] = [
      { metric: "output_tokens", test: "psi", threshold: 0.01 },
      { metric: "output_tokens", test: "ks", threshold: 0.01 },
      { metric: "output_tokens", test: "wasserstein", threshold: 0.01 },
      { metric: "model_mix", test: "chi_squared", threshold: 0.01 },
    ];
    for (const c of cases) {
      const s = statisticOf(run(c));
      expect(s, c.test).toBeGreaterThan(0.05);
      expect(run({ ...c, threshold: s }).outcome, c.test).toBe("breach");
      expect(run({ ...c, threshold: past(s) }).outcome, c.test).toBe("ok");
    }
  });

  it("KS and chi-squared need p strictly below alpha", () => {
    const cases: Omit<CreateRule, "name">[] = [
      { metric: "output_tokens", test: "ks", threshold: 0.01 },
      { metric: "model_mix", test: "chi_squared", threshold: 0.01 },
    ];
    for (const c of cases) {
      const p = run({ ...c, alpha: 0.5 }).p_value;
      if (p === undefined) throw new Error("no p-value");
      expect(p, c.test).toBeGreaterThan(1e-300);
      expect(run({ ...c, alpha: p }).outcome, c.test).toBe("ok");
      expect(run({ ...c, alpha: past(p) }).outcome, c.test).toBe("breach");
    }
  });

  it("PSI applies the larger of its floor and the no-drift quantile", () => {
    const c = { metric: "output_tokens", test: "psi", threshold: 0.01 } as const;
    const value = statisticOf(run(c));
    const withAlpha = run({ ...c, alpha: 1e-3 });
    expect(withAlpha.threshold).toBeGreaterThan(0.01);
    expect(withAlpha.threshold).toBeLessThan(value);
    expect(run({ ...c, threshold: withAlpha.threshold / 2, alpha: 1e-3 }).threshold).toBe(
      withAlpha.threshold,
    );
    expect(run({ ...c, threshold: value, alpha: 1e-3 }).threshold).toBe(value);
  });

  it("distribution and mix rules run with exactly min_samples values, not one fewer", () => {
    const cases: Omit<CreateRule, "name">[] = [
      { metric: "output_tokens", test: "psi", threshold: 0.01 },
      { metric: "model_mix", test: "chi_squared", threshold: 0.01 },
    ];
    for (const c of cases) {
      expect(run({ ...c, min_samples: 800 }).outcome, c.test).toBe("breach");
      expect(run({ ...c, min_samples: 801 }).outcome, c.test).toBe("insufficient_data");
    }
  });

  it("chi-squared pools a category expected fewer than 5 times, not one expected exactly 5", () => {
    expect(MIN_EXPECTED).toBe(5);
    // Baseline shares 1/2 each; a window of 10 expects exactly 5 of each: kept apart.
    expect(poolSparse([50, 50], [3, 7])).toEqual({ baseline: [50, 50], current: [3, 7] });
    // A window of 9 expects 4.5 of each: pooled into one category.
    expect(poolSparse([50, 50], [2, 7])).toEqual({ baseline: [100], current: [9] });
  });
});

describe("traffic-drop rules", () => {
  const drop = (fields: Partial<CreateRule>, observed: number) =>
    evaluateRule(
      rule({
        name: "t",
        metric: "traffic",
        test: "traffic_drop",
        threshold: 0.8,
        min_samples: 1,
        ...fields,
      }),
      pair(withCount(observed, 0, {}), null, { currentMinutes: 10, baselineVolumePerMinute: 10 }),
    );

  it("breach at a drop of exactly the threshold (100 expected, 20 seen)", () => {
    expect(drop({}, 20).statistic).toBe(0.8);
    expect(drop({}, 20).outcome).toBe("breach");
    expect(drop({ threshold: past(0.8) }, 20).outcome).toBe("ok");
  });

  it("need p strictly below alpha", () => {
    const p = drop({ alpha: 0.5 }, 20).p_value;
    if (p === undefined) throw new Error("no p-value");
    expect(drop({ alpha: p }, 20).outcome).toBe("ok");
    expect(drop({ alpha: past(p) }, 20).outcome).toBe("breach");
  });

  it("call a drop once exactly min_samples interactions are expected, not before", () => {
    expect(drop({ min_samples: 100 }, 20).outcome).toBe("breach");
    expect(drop({ min_samples: 101 }, 20).outcome).toBe("insufficient_data");
  });
});

describe("empty windows", () => {
  it("are no_data, never a breach, even with min_samples 1", () => {
    const r = evaluateRule(
      rule({ name: "e", metric: "error_rate", test: "z_test", threshold: 1, min_samples: 1 }),
      pair(emptyBucket(), errors(100, 10)),
    );
    expect(r.outcome).toBe("no_data");
  });
});

describe("PSI below its calibrated sample size", () => {
  // The no-drift quantiles are simulated from 100 values on; at 50 the m = 100 column let a
  // rule fire 1,200 times more often than its alpha, so smaller samples are not tested.
  const psiRule = rule({
    name: "tokens",
    metric: "output_tokens",
    test: "psi",
    threshold: 0.01,
    alpha: 1e-5,
    min_samples: 50,
  });
  const BASE = traffic(10_000, 1);

  it("answers insufficient_data with 99 values in the window, and tests 100", () => {
    const at99 = evaluateRule(psiRule, pair(traffic(99, 2), BASE));
    expect(at99.outcome).toBe("insufficient_data");
    expect(at99.message).toBe("output tokens: 99 values in the window, PSI needs ≥ 100");
    const at100 = evaluateRule(psiRule, pair(traffic(100, 2), BASE));
    expect(["ok", "breach"]).toContain(at100.outcome);
  });

  it("answers insufficient_data on a baseline of 99 values", () => {
    const r = evaluateRule(psiRule, pair(traffic(500, 3), traffic(99, 4)));
    expect(r.outcome).toBe("insufficient_data");
    expect(r.message).toBe("output tokens: 99 values in the baseline, PSI needs ≥ 100");
  });
});
