// Every kind of rule reports how big its change is, with a 95 % interval by its stated method.
import { beforeAll, describe, expect, it } from "vitest";
import { effectOf } from "../../../src/alerts/evaluation/effect-size";
import { type CheckInput, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { type Rule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { newcombeDifference } from "../../../src/drift";
import { addEvent, type Bucket, emptyBucket } from "../../../src/window/bucket";
import { interaction } from "../../sample-events";
import { traffic } from "../synthetic";

let baseline: Bucket;
beforeAll(() => {
  baseline = traffic(40_000, 1);
});

const input = (current: Bucket, extra: Partial<CheckInput> = {}): CheckInput => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 7 * 24 * 60,
  ...extra,
});

const byId = (id: string): Rule => {
  const rule = DEFAULT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no default rule ${id}`);
  return rule;
};

/** `down` thumbs-down and `up` thumbs-up, as interactions. */
function thumbs(down: number, up: number): Bucket {
  const b = emptyBucket();
  for (let i = 0; i < down; i++) addEvent(b, interaction({ feedback: -1 }));
  for (let i = 0; i < up; i++) addEvent(b, interaction({ feedback: 1 }));
  return b;
}

describe("effect sizes with intervals", () => {
  it("gives a rate rule the difference in points with Newcombe's interval, as in his Table II", () => {
    const rule = byId("default:thumbs_down_rate");
    const check = evaluateRule(rule, input(thumbs(56, 14), { baseline: thumbs(48, 32) }));
    expect(check.effect_size).toMatchObject({
      kind: "difference",
      of: "thumbs-down rate",
      method: "newcombe_hybrid_score",
      text: "+20.0 points (95 % CI 5.2 to 33.4)",
    });
    expect(check.effect_size?.lower).toBeCloseTo(0.0524, 4);
    expect(check.effect_size?.upper).toBeCloseTo(0.3339, 4);
  });

  it("gives a falling rate a negative difference", () => {
    const rule = byId("default:thumbs_down_rate");
    const check = evaluateRule(rule, input(thumbs(48, 32), { baseline: thumbs(56, 14) }));
    expect(check.effect_size?.text).toBe("-20.0 points (95 % CI -33.4 to -5.2)");
  });

  it("gives a quantile rule the ratio of quantiles with an interval around it", () => {
    const rule = byId("default:latency_ms_p95");
    const check = evaluateRule(rule, input(traffic(1500, 2, { latencyMedian: 1300 })));
    const e = check.effect_size;
    expect(e?.kind).toBe("ratio");
    expect(e?.method).toBe("order_statistics_price_bonett");
    expect(e?.of).toBe("latency p95");
    expect(e?.estimate).toBeCloseTo(2, 0);
    expect(e?.lower).toBeLessThan(2);
    expect(e?.upper).toBeGreaterThan(2);
    expect(e?.text).toMatch(/^×\d\.\d+ \(95 % CI \d\.\d+ to \d\.\d+\)$/);
  });

  it("sizes a PSI rule by the ratio of medians", () => {
    const rule = byId("default:output_tokens");
    const check = evaluateRule(rule, input(traffic(1500, 2, { tokensMedian: 360 })));
    expect(check.effect_size?.of).toBe("output tokens p50");
    expect(check.effect_size?.estimate).toBeCloseTo(2, 0);
  });

  it("gives a mix rule the category whose share moved most", () => {
    const rule = byId("default:model_mix");
    const current = traffic(1500, 2, { modelB: 0.6 });
    const check = evaluateRule(rule, input(current));
    expect(check.effect_size?.of).toBe("share of model=model-b");
    expect(check.effect_size?.estimate).toBeCloseTo(0.5, 1);
    expect(check.effect_size?.method).toBe("newcombe_hybrid_score");
  });

  it("gives a traffic drop the rate ratio with its log interval", () => {
    const rule = byId("default:traffic");
    const check = evaluateRule(
      rule,
      input(traffic(300, 2), { baselineVolumePerMinute: 100, currentMinutes: 15 }),
    );
    expect(check.outcome).toBe("breach");
    expect(check.effect_size).toMatchObject({ kind: "ratio", method: "poisson_rate_ratio_log" });
    expect(check.effect_size?.estimate).toBeCloseTo(0.2, 10);
    expect(check.effect_size?.text).toMatch(/^×0\.2 \(95 % CI 0\.1\d+ to 0\.2\d+\)$/);
  });

  it("gives a cost ratio no interval and says why", () => {
    const rule = byId("default:cost_per_request");
    const check = evaluateRule(rule, input(traffic(1500, 2, { tokensMedian: 900 })));
    expect(check.effect_size).toMatchObject({
      kind: "ratio",
      lower: null,
      upper: null,
      method: "none",
    });
    expect(check.effect_size?.text).toMatch(/no interval: the window keeps no spread of cost/);
  });

  it("gives a static rate rule the window's rate with its Wilson interval", () => {
    const rule = RuleSchema.parse({
      id: "static-down",
      name: "thumbs-down over 50 %",
      metric: "thumbs_down_rate",
      test: "static",
      threshold: 0.5,
      min_samples: 5,
    });
    const check = evaluateRule(rule, input(thumbs(9, 1)));
    expect(check.effect_size).toMatchObject({
      kind: "value",
      method: "wilson_score",
      text: "90.0 % (95 % CI 59.6 to 98.2 %)",
    });
  });

  it("reports nothing when the test could not run", () => {
    const rule = byId("default:thumbs_down_rate");
    expect(evaluateRule(rule, input(thumbs(1, 0))).effect_size).toBeUndefined();
    expect(
      evaluateRule(rule, input(thumbs(50, 50), { baseline: null })).effect_size,
    ).toBeUndefined();
  });

  it("agrees with newcombeDifference on the window's own counts", () => {
    const current = traffic(1500, 2, { errorRate: 0.05 });
    const e = effectOf(byId("default:error_rate"), input(current));
    const ref = newcombeDifference(
      baseline.counters.error,
      baseline.counters.count,
      current.counters.error,
      current.counters.count,
    );
    expect(e?.lower).toBe(ref.lower);
    expect(e?.upper).toBe(ref.upper);
  });
});
