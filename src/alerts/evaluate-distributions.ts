// Distribution rules: quantile ratios (latency p95), KS and normalised Wasserstein distance,
// all read from the window's and the baseline's sketches.
import { quantileRatio } from "../drift";
import type { CheckInput, CheckResult } from "./check-result";
import { resultOf } from "./check-result";
import { ratioBeyond } from "./direction";
import { distributionPair, ksOf, medians, normedWassersteinOf } from "./distribution-pair";
import { cmp, num, withUnit } from "./format";
import { metricLabel } from "./rule-metrics";
import type { Quantile, Rule } from "./rule-schema";
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
  const direction = rule.direction ?? "up";
  const breach = ratioBeyond(direction, ratio, rule.threshold);
  const down = direction === "down" || (direction === "both" && ratio < 1);
  const bound = down ? 1 / rule.threshold : rule.threshold;
  return resultOf(rule, {
    outcome: breach ? "breach" : "ok",
    ...values,
    statistic: ratio,
    ...n,
    message: `${label} ${withUnit(rule.metric, value)} vs ${withUnit(rule.metric, baselineValue)} baseline (ratio ${num(ratio)} ${cmp(breach, down)} ${num(bound)}; n = ${cur.total})`,
  });
}

export function evaluateKs(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const ks = ksOf(prepared.pair);
  const dHolds = ks.statistic >= rule.threshold;
  const pHolds = rule.alpha === undefined || ks.pValue < rule.alpha;
  const m = medians(prepared.pair);
  const parts = [`KS D = ${num(ks.statistic, 2)} ${cmp(dHolds)} ${rule.threshold}`];
  if (rule.alpha !== undefined)
    parts.push(`p = ${num(ks.pValue, 2)} ${pHolds ? "<" : "≥"} ${num(rule.alpha)}`);
  return resultOf(rule, {
    outcome: dHolds && pHolds ? "breach" : "ok",
    ...m,
    statistic: ks.statistic,
    p_value: ks.pValue,
    n_current: prepared.pair.cur.total,
    n_baseline: prepared.pair.base.total,
    message: `${metricLabel(rule.metric)} ${describeMedians(rule, m)} (${parts.join(", ")})`,
  });
}

export function evaluateWasserstein(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const distance = normedWassersteinOf(prepared.pair);
  const breach = distance >= rule.threshold;
  const m = medians(prepared.pair);
  return resultOf(rule, {
    outcome: breach ? "breach" : "ok",
    ...m,
    statistic: distance,
    n_current: prepared.pair.cur.total,
    n_baseline: prepared.pair.base.total,
    message: `${metricLabel(rule.metric)} ${describeMedians(rule, m)} (Wasserstein / baseline std = ${num(distance, 2)} ${cmp(breach)} ${rule.threshold})`,
  });
}

export function describeMedians(
  rule: Rule,
  m: { value: number | null; baseline_value: number | null },
): string {
  const show = (x: number | null) => (x === null ? "?" : withUnit(rule.metric, x));
  return `median ${show(m.value)} vs ${show(m.baseline_value)} baseline`;
}
