// The reason a notification gives, for every kind of rule: a firing names every condition
// (all hold), a resolve names the ones that failed and says which still hold. Each check
// comes from the real evaluator on seeded traffic, so the texts are the ones users read.
import { describe, expect, it } from "vitest";
import { type CheckInput, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { explainNotification } from "../../../src/alerts/evaluation/explain";
import type { SequentialReading } from "../../../src/alerts/evaluation/sequential";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { type CreateRule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { type Bucket, emptyBucket } from "../../../src/window/bucket";
import { traffic } from "../synthetic";

const rule = (fields: CreateRule) => RuleSchema.parse({ id: "custom", ...fields });
const pair = (current: Bucket, baseline: Bucket | null, perMinute?: number): CheckInput => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 10_080,
  ...(perMinute === undefined ? {} : { baselineVolumePerMinute: perMinute }),
});
const BASE = traffic(10_000, 1);

/** A bucket with only thumbs: `down` of `thumbs` are thumbs-down. */
function thumbs(down: number, total: number): Bucket {
  const b = emptyBucket();
  b.counters.count = total;
  b.counters.feedback_down = down;
  b.counters.feedback_up = total - down;
  return b;
}

function reasons(r: ReturnType<typeof rule>, firing: CheckInput, resolving: CheckInput) {
  const fired = evaluateRule(r, firing);
  const resolved = evaluateRule(r, resolving);
  expect(fired.outcome).toBe("breach");
  expect(resolved.outcome).toBe("ok");
  return {
    fired: explainNotification(fired, "firing", r.no_data),
    repeat: explainNotification(fired, "repeat", r.no_data),
    resolved: explainNotification(resolved, "resolved", r.no_data),
  };
}

describe("notification reasons", () => {
  it("z-test: a resolve decided by the exact Poisson tail says so, and that z alone does not fire", () => {
    const r = rule({
      name: "thumbs",
      metric: "thumbs_down_rate",
      test: "z_test",
      threshold: 3,
      min_effect: 0.02,
      alpha: 3e-5,
    });
    // The case: 35 % vs 25 %, z past 3 but the Poisson tail not below alpha.
    const text = reasons(
      r,
      pair(thumbs(220, 400), thumbs(500, 2000)),
      pair(thumbs(134, 380), thumbs(500, 2000)),
    );
    expect(text.fired).toBe(
      "fired because z (normal approximation) = 12 ≥ 3, Δ = 30 pts ≥ 2 pts and p (exact Poisson tail) = 1.9e-16 < 3e-5",
    );
    expect(text.repeat).toBe(
      "still firing because z (normal approximation) = 12 ≥ 3, Δ = 30 pts ≥ 2 pts and p (exact Poisson tail) = 1.9e-16 < 3e-5",
    );
    expect(text.resolved).toBe(
      "resolved because p (exact Poisson tail) = 0.0011, not < 3e-5. It fires only when every condition holds, and z (normal approximation) = 4.1 ≥ 3 and Δ = 10 pts ≥ 2 pts alone do not",
    );
  });

  it("z-test without alpha names z and the change only", () => {
    const r = rule({ name: "errors", metric: "error_rate", test: "z_test", threshold: 3 });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { errorRate: 0.06 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because z = 13 ≥ 3");
    expect(text.resolved).toBe("resolved because z = -0.072, not ≥ 3");
  });

  it("quantile ratio", () => {
    const r = rule({ name: "p95", metric: "latency_ms", test: "quantile_ratio", threshold: 1.5 });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { latencyMedian: 1300 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because p95 ratio = 2.01 ≥ 1.5");
    expect(text.resolved).toBe("resolved because p95 ratio = 1, not ≥ 1.5");
  });

  it("PSI, against the larger of its floor and its no-drift quantile", () => {
    const r = rule({
      name: "length",
      metric: "output_chars",
      test: "psi",
      threshold: 0.25,
      alpha: 1e-5,
    });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { tokensMedian: 300 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because PSI = 0.71 ≥ 0.25");
    expect(text.resolved).toBe("resolved because PSI = 0.0081, not ≥ 0.25");
  });

  it("KS with a significance level", () => {
    const r = rule({ name: "ks", metric: "latency_ms", test: "ks", threshold: 0.1, alpha: 1e-6 });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { latencyMedian: 900 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because KS D = 0.32 ≥ 0.1 and KS p = 9.5e-114 < 1e-6");
    expect(text.resolved).toBe(
      "resolved because KS D = 0.015, not ≥ 0.1 and KS p = 0.92, not < 1e-6",
    );
  });

  it("Wasserstein", () => {
    const r = rule({ name: "w", metric: "latency_ms", test: "wasserstein", threshold: 0.1 });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { latencyMedian: 900 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because Wasserstein / baseline std = 0.89 ≥ 0.1");
    expect(text.resolved).toBe("resolved because Wasserstein / baseline std = 0.025, not ≥ 0.1");
  });

  it("chi-squared mix with the Jensen–Shannon distance", () => {
    const r = rule({
      name: "models",
      metric: "model_mix",
      test: "chi_squared",
      threshold: 0.1,
      alpha: 1e-6,
    });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { modelB: 0.6 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe(
      "fired because JS distance = 0.49 ≥ 0.1 and p (chi-squared, 1 dof, and exact) = 0 < 1e-6",
    );
    expect(text.resolved).toBe(
      "resolved because JS distance = 0.0057, not ≥ 0.1 and p (chi-squared, 1 dof, and exact) = 0.65, not < 1e-6",
    );
  });

  it("cost ratio", () => {
    const r = rule({ name: "cost", metric: "cost_per_request", test: "ratio", threshold: 1.3 });
    const text = reasons(
      r,
      pair(traffic(1500, 2, { tokensMedian: 360 }), BASE),
      pair(traffic(1500, 3), BASE),
    );
    expect(text.fired).toBe("fired because ratio = 1.54 ≥ 1.3");
    expect(text.resolved).toBe("resolved because ratio = 0.995, not ≥ 1.3");
  });

  it("traffic drop", () => {
    const r = rule({
      name: "traffic",
      metric: "traffic",
      test: "traffic_drop",
      threshold: 0.8,
      alpha: 1e-6,
      min_samples: 20,
    });
    const text = reasons(r, pair(traffic(10, 2), BASE, 10), pair(traffic(140, 3), BASE, 10));
    expect(text.fired).toBe("fired because drop = 93.3 % ≥ 80 % and p (Poisson) = 1.2e-50 < 1e-6");
    expect(text.resolved).toBe(
      "resolved because drop = 6.67 %, not ≥ 80 % and p (Poisson) = 0.22, not < 1e-6",
    );
  });

  it("static threshold", () => {
    const r = rule({ name: "naive", metric: "thumbs_down_rate", test: "static", threshold: 0.08 });
    const text = reasons(
      r,
      pair(traffic(500, 1, { thumbsDown: 0.12 }), null),
      pair(traffic(500, 1), null),
    );
    expect(text.fired).toBe("fired because thumbs-down rate = 13 % ≥ 8 %");
    expect(text.resolved).toBe("resolved because thumbs-down rate = 4 %, not ≥ 8 %");
  });

  it("a rule that alerts on no data says there is none", () => {
    const r = rule({
      name: "errors",
      metric: "error_rate",
      test: "static",
      threshold: 0.1,
      no_data: "alert",
    });
    const check = evaluateRule(r, pair(emptyBucket(), null));
    expect(check.outcome).toBe("no_data");
    expect(explainNotification(check, "firing", "alert")).toBe(
      "fired because there is no data (error rate: no interactions in the last 15 min) and the rule alerts on no data",
    );
    expect(explainNotification(check, "repeat", "keep")).toBe(
      "still firing because there is no data (error rate: no interactions in the last 15 min) and the rule keeps its last state without data",
    );
  });

  describe("sequential (CUSUM)", () => {
    const T = Date.UTC(2026, 11, 2, 14, 0);
    const min = (m: number) => T + m * 60_000;
    const cusumRule = (metric: string) => {
      const found = DEFAULT_RULES.find((d) => d.id === `default:${metric}:cusum`);
      if (!found) throw new Error(`no cusum rule for ${metric}`);
      return found;
    };
    const check = (metric: string, r: Omit<SequentialReading, "metric">) => {
      const found = cusumRule(metric);
      return evaluateRule(found, {
        ...pair(BASE, BASE),
        sequential: new Map([[found.metric, { ...r, metric: found.metric }]]),
      });
    };
    const rate = {
      statistic: 16.2,
      threshold: 15.1,
      baselineRate: 0.0493,
      estimate: 0.227,
      changeMinute: min(2),
    };
    const latency = {
      ...rate,
      baselineRate: 0.4949,
      estimate: 0.84,
      quantile: 0.5,
      edge: 1840,
    };

    it("a rate: fired, still firing and resolved name the CUSUM and the evidence of return", () => {
      const episode = { raisedAt: min(9), back: 0, backThreshold: 14.8 };
      const fired = check("thumbs_down_rate", { ...rate, alarm: true, episode });
      expect(fired.outcome).toBe("breach");
      expect(fired.unit).toBe("ratio");
      expect(fired.summary).toBe(
        "thumbs-down rate rose from 4.93 % to 22.7 % around 14:02 UTC (alarm at 14:09 UTC, held until the rate is back)",
      );
      expect(explainNotification(fired, "firing", "ignore")).toBe(
        "fired because CUSUM = 16.2 ≥ 15.1 (one false alarm per 30 days per deployment) and evidence of return = 0 < 14.8",
      );
      const held = check("thumbs_down_rate", {
        ...rate,
        alarm: true,
        episode: { ...episode, back: 3.25 },
      });
      expect(explainNotification(held, "repeat", "ignore")).toBe(
        "still firing because CUSUM = 16.2 ≥ 15.1 (one false alarm per 30 days per deployment) and evidence of return = 3.25 < 14.8",
      );
      const resolved = check("thumbs_down_rate", {
        ...rate,
        alarm: false,
        statistic: 0,
        cleared: { at: min(41), back: 15.3, backThreshold: 14.8, rate: 0.0512 },
      });
      expect(resolved.outcome).toBe("ok");
      // Not "rose from 4.93 % to 22.7 %": a resolve says the rate is back, and why.
      expect(resolved.summary).toBe(
        "thumbs-down rate back to 5.12 % by 14:41 UTC (baseline 4.93 %), after the change around 14:02 UTC",
      );
      expect(resolved.value).toBe(0.0512);
      expect(explainNotification(resolved, "resolved", "ignore")).toBe(
        "resolved because evidence of return = 15.3, not < 14.8",
      );
    });

    it("a distribution: shares beyond a baseline quantile, in percent, with the quantile in ms", () => {
      const fired = check("latency_ms", {
        ...latency,
        alarm: true,
        episode: { raisedAt: min(9), back: 0, backThreshold: 14.8 },
      });
      // Not "Baseline 0.4949 ms / Current 0.84 ms": the values are shares.
      expect(fired.unit).toBe("ratio");
      expect(fired.value).toBe(0.84);
      expect(fired.conditions).toHaveLength(2);
      expect(fired.summary).toBe(
        "share of latency above the baseline median (1,840 ms) rose from 49.5 % to 84 % around 14:02 UTC (alarm at 14:09 UTC, held until the rate is back)",
      );
      const quiet = check("latency_ms", {
        ...latency,
        alarm: false,
        statistic: 2.5,
        estimate: 0.51,
      });
      expect(quiet.outcome).toBe("ok");
      expect(quiet.message).toBe(
        "share of latency above the baseline median (1,840 ms) rose from 49.5 % to 51 % around 14:02 UTC: CUSUM = 2.5, not ≥ 15.1 (one false alarm per 30 days per deployment)",
      );
    });
  });
});
