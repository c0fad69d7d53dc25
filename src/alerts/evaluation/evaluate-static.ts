// The naive static threshold: the window's value against a fixed number, no baseline.

import { isRateMetric, metricKind, metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import { type CheckInput, type CheckResult, sampleGate, testedResult } from "./check-result";
import { QUANTILE_LEVEL } from "./evaluate-distributions";
import { withUnit } from "./format";
import { costPerRequest, rateCounts, sketchOf } from "./metric-values";
import { stepQuantile, stepsOf } from "./sketch-steps";

/** The window's value for a static rule, and the number of observations behind it. */
function currentValue(
  rule: Rule,
  input: CheckInput,
): { value: number | null; n: number; what: string } {
  const metric = rule.metric;
  if (isRateMetric(metric)) {
    const r = rateCounts(input.current, metric);
    return { value: r.trials > 0 ? r.successes / r.trials : null, n: r.trials, what: r.unit };
  }
  if (metricKind(metric) === "cost") {
    const c = costPerRequest(input.current);
    return { value: c.mean, n: c.n, what: "priced interactions" };
  }
  const steps = stepsOf(sketchOf(input.current, metric));
  const q = QUANTILE_LEVEL[rule.quantile ?? "p95"];
  return { value: stepQuantile(steps, q) ?? null, n: steps.total, what: "values" };
}

export function evaluateStatic(rule: Rule, input: CheckInput): CheckResult {
  const { value, n, what } = currentValue(rule, input);
  const gate = sampleGate(rule, n, null, what);
  if (gate) return gate;
  if (value === null) throw new Error("static rule: a value exists whenever n > 0");
  const down = rule.direction === "down";
  const label =
    metricKind(rule.metric) === "distribution"
      ? `${metricLabel(rule.metric)} ${rule.quantile ?? "p95"}`
      : metricLabel(rule.metric);
  const condition = {
    name: label,
    value: withUnit(rule.metric, value),
    fires: `${down ? "≤" : "≥"} ${withUnit(rule.metric, rule.threshold)}`,
    holds: down ? value <= rule.threshold : value >= rule.threshold,
  };
  return testedResult(rule, `${label}, static threshold, n = ${n}`, [condition], {
    value,
    baseline_value: null,
    statistic: value,
    n_current: n,
    n_baseline: 0,
  });
}
