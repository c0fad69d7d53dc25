// Cost per request (ratio of means against the baseline) and traffic (volume against the
// baseline's same hour of week: a drop, or nothing at all).
import { poissonLowerTail, quantileRatio } from "../../drift";
import type { Rule } from "../rules/rule-schema";
import {
  type CheckInput,
  type CheckResult,
  type Condition,
  missingBaseline,
  resultOf,
  sampleGate,
  testedResult,
} from "./check-result";
import { ratioCondition } from "./evaluate-distributions";
import { num, pct, withUnit } from "./format";
import { costPerRequest } from "./metric-values";

export function evaluateCostRatio(rule: Rule, input: CheckInput): CheckResult {
  const cur = costPerRequest(input.current);
  if (input.baseline === null) return missingBaseline(rule, cur.n, "priced interactions");
  const base = costPerRequest(input.baseline);
  const gate = sampleGate(rule, cur.n, base.n, "priced interactions");
  if (gate) return gate;
  const ratio = quantileRatio(cur.mean, base.mean);
  const n = { n_current: cur.n, n_baseline: base.n };
  const values = { value: cur.mean, baseline_value: base.mean };
  const show = (x: number | null) => (x === null ? "?" : withUnit("cost_per_request", x));
  if (ratio === null) {
    return resultOf(rule, {
      outcome: "insufficient_data",
      ...values,
      statistic: null,
      ...n,
      message: `cost per request: no ratio against a baseline of ${show(base.mean)}`,
    });
  }
  return testedResult(
    rule,
    `cost per request ${show(cur.mean)} vs ${show(base.mean)} baseline, n = ${cur.n}`,
    [ratioCondition(rule, "ratio", ratio)],
    { ...values, statistic: ratio, ...n },
  );
}

/** Interactions a minute the baseline expects: this hour of week's, else its mean; null: none. */
export function expectedPerMinute(input: CheckInput): number | null {
  return (
    input.baselineVolumePerMinute ??
    (input.baseline !== null && input.baselineMinutes > 0
      ? input.baseline.counters.count / input.baselineMinutes
      : null)
  );
}

/**
 * Interactions in the window against the volume expected from the baseline. min_samples is
 * the expected count below which a drop cannot be told from a quiet spell; with alpha the
 * observed count must also be improbably low for Poisson traffic at the expected rate.
 */
export function evaluateTrafficDrop(rule: Rule, input: CheckInput): CheckResult {
  const observed = input.current.counters.count;
  const perMinute = expectedPerMinute(input);
  if (perMinute === null) return missingBaseline(rule, observed, "interactions");
  const expected = perMinute * input.currentMinutes;
  const rate = observed / input.currentMinutes;
  const n = { n_current: observed, n_baseline: Math.round(expected) };
  if (expected < rule.min_samples) {
    return resultOf(rule, {
      outcome: "insufficient_data",
      value: rate,
      baseline_value: perMinute,
      statistic: null,
      ...n,
      message: `traffic: the baseline expects ${num(expected)} interactions in ${input.currentMinutes} min, need ≥ ${rule.min_samples} to call a drop`,
    });
  }
  const drop = 1 - observed / expected;
  const pValue = poissonLowerTail(observed, expected);
  const conditions: Condition[] = [
    {
      name: "drop",
      value: pct(Math.max(0, drop)),
      fires: `≥ ${pct(rule.threshold)}`,
      holds: drop >= rule.threshold,
    },
  ];
  if (rule.alpha !== undefined) {
    conditions.push({
      name: "p (Poisson)",
      value: num(pValue, 2),
      fires: `< ${num(rule.alpha)}`,
      holds: pValue < rule.alpha,
    });
  }
  const what =
    observed === 0
      ? `no traffic for ${input.currentMinutes} min (the baseline expects ${num(expected)})`
      : `traffic ${withUnit("traffic", rate)} vs ${withUnit("traffic", perMinute)} baseline`;
  return testedResult(rule, what, conditions, {
    value: rate,
    baseline_value: perMinute,
    statistic: drop,
    p_value: pValue,
    ...n,
  });
}
