// Distribution rules: quantile ratios (latency p95), KS and normalised Wasserstein distance,
// all read from the window's and the baseline's sketches.
import { quantileRatio } from "../../drift";
import { ratioBeyond } from "../rules/direction";
import { distributionAlpha } from "../rules/distribution-alpha";
import { metricLabel } from "../rules/rule-metrics";
import type { Quantile, Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult, Condition } from "./check-result";
import { resultOf, testedResult } from "./check-result";
import { distributionPair, ksOf, medians, normedWassersteinOf } from "./distribution-pair";
import { num, withUnit } from "./format";
import { stepQuantile } from "./sketch-steps";

export const QUANTILE_LEVEL: Record<Quantile, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

export function evaluateQuantileRatio(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const { cur, base } = prepared.pair;
  const q = rule.quantile ?? "p95";
  const value = stepQuantile(cur, QUANTILE_LEVEL[q]) ?? null;
  const baselineValue = stepQuantile(base, QUANTILE_LEVEL[q]) ?? null;
  const ratio = quantileRatio(value, baselineValue);
  const label = `${metricLabel(rule.metric)} ${q}`;
  const n = { n_current: cur.total, n_baseline: base.total };
  const values = { value, baseline_value: baselineValue };
  if (ratio === null || value === null || baselineValue === null) {
    return resultOf(rule, {
      outcome: "insufficient_data",
      ...values,
      statistic: null,
      ...n,
      message: `${label}: no ratio against a baseline ${q} of ${baselineValue ?? "nothing"}`,
    });
  }
  return testedResult(
    rule,
    `${label} ${withUnit(rule.metric, value)} vs ${withUnit(rule.metric, baselineValue)} baseline, n = ${cur.total}`,
    [ratioCondition(rule, `${q} ratio`, ratio)],
    { ...values, statistic: ratio, ...n },
  );
}

/** A ratio against the baseline: ≥ t to fire upwards, ≤ 1/t downwards. */
export function ratioCondition(rule: Rule, name: string, ratio: number): Condition {
  const direction = rule.direction ?? "up";
  const down = direction === "down" || (direction === "both" && ratio < 1);
  return {
    name,
    value: num(ratio),
    fires: down ? `≤ ${num(1 / rule.threshold)}` : `≥ ${num(rule.threshold)}`,
    holds: ratioBeyond(direction, ratio, rule.threshold),
  };
}

export function evaluateKs(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const ks = ksOf(prepared.pair);
  const m = medians(prepared.pair);
  // Without an alpha of its own the rule holds the default significance (distribution-alpha.ts).
  const alpha = distributionAlpha(rule);
  const conditions: Condition[] = [
    {
      name: "KS D",
      value: num(ks.statistic, 2),
      fires: `≥ ${num(rule.threshold)}`,
      holds: ks.statistic >= rule.threshold,
    },
    {
      name: "KS p",
      value: num(ks.pValue, 2),
      fires: `< ${num(alpha)}`,
      holds: ks.pValue < alpha,
    },
  ];
  return testedResult(
    rule,
    `${metricLabel(rule.metric)} ${describeMedians(rule, m)}, n = ${prepared.pair.cur.total}`,
    conditions,
    {
      ...m,
      statistic: ks.statistic,
      p_value: ks.pValue,
      n_current: prepared.pair.cur.total,
      n_baseline: prepared.pair.base.total,
    },
  );
}

export function evaluateWasserstein(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const distance = normedWassersteinOf(prepared.pair);
  const m = medians(prepared.pair);
  const condition: Condition = {
    name: "Wasserstein / baseline std",
    value: num(distance, 2),
    fires: `≥ ${num(rule.threshold)}`,
    holds: distance >= rule.threshold,
  };
  return testedResult(
    rule,
    `${metricLabel(rule.metric)} ${describeMedians(rule, m)}, n = ${prepared.pair.cur.total}`,
    [condition],
    {
      ...m,
      statistic: distance,
      n_current: prepared.pair.cur.total,
      n_baseline: prepared.pair.base.total,
    },
  );
}

export function describeMedians(
  rule: Rule,
  m: { value: number | null; baseline_value: number | null },
): string {
  const show = (x: number | null) => (x === null ? "?" : withUnit(rule.metric, x));
  return `median ${show(m.value)} vs ${show(m.baseline_value)} baseline`;
}
