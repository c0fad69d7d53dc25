// The default rules against synthetic windows: stable traffic stays ok, each step change
// breaches the rule watching it, and small or empty windows never alert.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CheckInput,
  evaluateRule,
  evaluateRules,
} from "../../../src/alerts/evaluation/evaluate";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import { type Rule, RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { addEvent, type Bucket, emptyBucket } from "../../../src/window/bucket";
import { interaction } from "../../sample-events";
import { type Traffic, traffic } from "../synthetic";

const WINDOW = 1500; // 15 minutes at 100 interactions a minute
let baseline: Bucket;

beforeAll(() => {
  baseline = traffic(40_000, 1);
});

const input = (current: Bucket, extra: Partial<CheckInput> = {}): CheckInput => ({
  current,
  baseline,
  currentMinutes: 15,
  baselineMinutes: 7 * 24 * 60,
  baselineVolumePerMinute: 100,
  ...extra,
});

const byId = (id: string): Rule => {
  const rule = DEFAULT_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no default rule ${id}`);
  return rule;
};

/** Ids of the default rules that breach on a 15-minute window of `changes`. */
function breaches(changes: Partial<Traffic>, seed = 2): string[] {
  const current = traffic(WINDOW, seed, changes);
  return evaluateRules(DEFAULT_RULES, input(current))
    .filter((r) => r.outcome === "breach")
    .map((r) => r.rule_id);
}

describe("the default rules on synthetic traffic", () => {
  it("stay ok on stable traffic for every rule and several windows", () => {
    for (const seed of [2, 3, 4]) {
      const results = evaluateRules(DEFAULT_RULES, input(traffic(WINDOW, seed)));
      expect(results).toHaveLength(DEFAULT_RULES.length);
      // cusum rules read the deployment's sequential state, absent here (test/alerts/evaluation/sequential.test.ts).
      const windowed = results.filter((r) => r.test !== "cusum");
      expect(windowed.filter((r) => r.outcome !== "ok").map((r) => r.message)).toEqual([]);
    }
  });

  it("flag a thumbs-down rate going from 5 % to 12 % and explain it in one line", () => {
    expect(breaches({ thumbsDown: 0.12 })).toEqual(["default:thumbs_down_rate"]);
    const result = evaluateRule(
      byId("default:thumbs_down_rate"),
      input(traffic(WINDOW, 2, { thumbsDown: 0.12 })),
    );
    expect(result.message).toMatch(
      /^thumbs-down rate 1\d(\.\d+)? % vs [45](\.\d+)? % baseline, n = 1500 thumbs: z \(normal approximation\) = [\d.]+ ≥ 3; Δ = [\d.]+ pts ≥ 2 pts; p \(exact Poisson tail\) = \S+ < 3e-5$/,
    );
    expect(result.value).toBeGreaterThan(0.1);
    expect(result.effect).toBeGreaterThan(0.05);
    expect(result.n_current).toBe(WINDOW);
  });

  it("flag an error rate going from 1 % to 6 %", () => {
    expect(breaches({ errorRate: 0.06 })).toEqual(["default:error_rate"]);
  });

  it("flag a doubled latency through the p95 ratio", () => {
    expect(breaches({ latencyMedian: 1300 })).toEqual([
      "default:latency_ms_p95",
      "default:ttft_ms_p95",
    ]);
    const result = evaluateRule(
      byId("default:latency_ms_p95"),
      input(traffic(WINDOW, 2, { latencyMedian: 1300 })),
    );
    expect(result.statistic).toBeGreaterThan(1.8);
    expect(result.message).toMatch(
      /^latency p95 [\d,]+ ms vs [\d,]+ ms baseline, n = 1500: p95 ratio = 2\.\d+ ≥ 1\.5$/,
    );
  });

  it("flag an output-length shift through PSI on chars and tokens", () => {
    const ids = breaches({ tokensMedian: 300 });
    expect(ids).toContain("default:output_chars");
    expect(ids).toContain("default:output_tokens");
    expect(ids.every((id) => id.startsWith("default:output_"))).toBe(true);
    const result = evaluateRule(
      byId("default:output_chars"),
      input(traffic(WINDOW, 2, { tokensMedian: 300 })),
    );
    expect(result.effect).toBeGreaterThan(0.2); // KS D
    expect(result.p_value).toBeLessThan(1e-10);
  });

  it("flag a model swap in the first window that shows it", () => {
    expect(breaches({ modelB: 1, modelBName: "model-c" })).toEqual(["default:model_mix"]);
    const result = evaluateRule(
      byId("default:model_mix"),
      input(traffic(WINDOW, 2, { modelB: 1, modelBName: "model-c" })),
    );
    expect(result.message).toContain('"model-c" 100 % vs 0 % baseline');
  });
});

describe("small and empty windows", () => {
  it("report insufficient data below min_samples instead of alerting", () => {
    const small = traffic(20, 5, { thumbsDown: 0.5, errorRate: 0.5, latencyMedian: 5000 });
    const results = evaluateRules(DEFAULT_RULES, input(small, { currentMinutes: 15 }));
    const alerting = results.filter((r) => r.outcome === "breach").map((r) => r.rule_id);
    expect(alerting).toEqual(["default:traffic"]); // 20 events where 1,500 were expected
    const thumbs = results.find((r) => r.rule_id === "default:thumbs_down_rate");
    expect(thumbs?.outcome).toBe("insufficient_data");
    expect(thumbs?.message).toBe("thumbs-down rate: 20 thumbs in the window, need ≥ 50");
  });

  it("report no data for a metric the window does not have", () => {
    const current = emptyBucket();
    for (let i = 0; i < 200; i++) addEvent(current, interaction()); // no thumbs, no latency
    const thumbs = evaluateRule(byId("default:thumbs_down_rate"), input(current));
    expect(thumbs.outcome).toBe("no_data");
    expect(evaluateRule(byId("default:latency_ms_p95"), input(current)).outcome).toBe("no_data");
  });

  it("wait for a baseline before comparing", () => {
    const result = evaluateRule(
      byId("default:error_rate"),
      input(traffic(WINDOW, 2), { baseline: null }),
    );
    expect(result.outcome).toBe("insufficient_data");
    expect(result.message).toBe("error rate: no baseline yet");
  });

  it("fire the traffic rule on a silent window and not on a quiet expected one", () => {
    const silent = evaluateRule(
      byId("default:traffic"),
      input(emptyBucket(), { currentMinutes: 5 }),
    );
    expect(silent.outcome).toBe("breach");
    expect(silent.message).toMatch(
      /^no traffic for 5 min \(the baseline expects [\d.,]+\): drop = 100 % ≥ 80 %; p \(Poisson\) = .+ < 1e-6$/,
    );
    const quiet = evaluateRule(
      byId("default:traffic"),
      input(emptyBucket(), { currentMinutes: 5, baselineVolumePerMinute: 2 }),
    );
    expect(quiet.outcome).toBe("insufficient_data");
  });
});

describe("evaluateRules", () => {
  it("skips disabled rules and builds one input per window length", () => {
    const rules = DEFAULT_RULES.map((r) =>
      r.id === "default:cost_per_request" ? { ...r, enabled: false } : r,
    );
    const asked: number[] = [];
    const results = evaluateRules(rules, (minutes) => {
      asked.push(minutes);
      return input(traffic(minutes * 100, 2), { currentMinutes: minutes });
    });
    expect(results.map((r) => r.rule_id)).not.toContain("default:cost_per_request");
    expect(asked.sort((a, b) => a - b)).toEqual([5, 15]);
  });

  it("turns a rule that throws into insufficient data and evaluates the rest", () => {
    const broken = { ...byId("default:error_rate"), id: "broken", metric: "latency_ms" } as Rule;
    const results = evaluateRules([broken, byId("default:error_rate")], input(traffic(WINDOW, 2)));
    expect(results[0]?.outcome).toBe("insufficient_data");
    expect(results[0]?.message).toMatch(/^evaluation failed: /);
    expect(results[1]?.outcome).toBe("ok");
  });
});

describe("PSI calibration", () => {
  it("raises the PSI threshold above the 0.1 floor for small windows", () => {
    const rule = RuleSchema.parse({ ...byId("default:output_chars"), min_samples: 50 });
    const result = evaluateRule(rule, input(traffic(120, 9)));
    expect(result.threshold).toBeGreaterThan(0.25);
    expect(result.outcome).toBe("ok");
    // A fixed 0.1 floor alone has no such margin at this size.
    expect(result.statistic).toBeLessThan(result.threshold);
  });
});
