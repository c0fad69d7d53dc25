// Rule evaluation, pure: one rule (or a rule set) against a window and its baseline.

import { isRateMetric } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import { withAttribution } from "./attribution";
import { type CheckInput, type CheckResult, resultOf } from "./check-result";
import { withEffect } from "./effect-size";
import { evaluateCusum } from "./evaluate-cusum";
import { evaluateKs, evaluateQuantileRatio, evaluateWasserstein } from "./evaluate-distributions";
import { evaluateChiSquared } from "./evaluate-mix";
import { evaluatePsi } from "./evaluate-psi";
import { evaluateZTest } from "./evaluate-rates";
import { evaluateStatic } from "./evaluate-static";
import { evaluateCostRatio, evaluateTrafficDrop } from "./evaluate-volume";

export { type DeploymentRef, globMatches, ruleMatches } from "../rules/rule-match";
export type { CheckInput, CheckOutcome, CheckResult } from "./check-result";

/** Evaluates one rule. The rule is assumed valid (RuleSchema); the input's window is the rule's. */
export function evaluateRule(rule: Rule, input: CheckInput): CheckResult {
  return withAttribution(rule, input, withEffect(rule, input, testRule(rule, input)));
}

function testRule(rule: Rule, input: CheckInput): CheckResult {
  switch (rule.test) {
    case "z_test":
      if (!isRateMetric(rule.metric))
        throw new TypeError(`z_test needs a rate metric, got ${rule.metric}`);
      return evaluateZTest(rule, rule.metric, input);
    case "quantile_ratio":
      return evaluateQuantileRatio(rule, input);
    case "psi":
      return evaluatePsi(rule, input);
    case "ks":
      return evaluateKs(rule, input);
    case "wasserstein":
      return evaluateWasserstein(rule, input);
    case "chi_squared":
      return evaluateChiSquared(rule, input);
    case "ratio":
      return evaluateCostRatio(rule, input);
    case "traffic_drop":
      return evaluateTrafficDrop(rule, input);
    case "static":
      return evaluateStatic(rule, input);
    case "cusum":
      return evaluateCusum(rule, input);
  }
}

/**
 * Evaluates every enabled rule. `input` is one window pair for all rules, or a function
 * giving the pair for a window length (called once per distinct window_minutes). A rule
 * that throws yields insufficient_data with the error in its message; the others still run.
 */
export function evaluateRules(
  rules: readonly Rule[],
  input: CheckInput | ((windowMinutes: number) => CheckInput),
): CheckResult[] {
  const inputs = new Map<number, CheckInput>();
  const inputFor = (minutes: number): CheckInput => {
    if (typeof input !== "function") return input;
    const cached = inputs.get(minutes) ?? input(minutes);
    inputs.set(minutes, cached);
    return cached;
  };
  return rules
    .filter((rule) => rule.enabled)
    .map((rule) => {
      try {
        return evaluateRule(rule, inputFor(rule.window_minutes));
      } catch (error) {
        return resultOf(rule, {
          outcome: "insufficient_data",
          value: null,
          baseline_value: null,
          statistic: null,
          n_current: 0,
          n_baseline: 0,
          message: `evaluation failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    });
}
