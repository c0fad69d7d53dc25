// PSI rules: bins cut at the baseline's quantiles, alerting only when PSI exceeds both the
// rule's effect floor and its no-drift quantile at 1 - alpha for these sample sizes (simulated
// where the chi-squared approximation fails: src/drift/psi-calibrated-quantile.ts).
import { PSI_TABLE_CURRENT, psi, psiCalibratedQuantile, psiPValue } from "../../drift";
import { distributionAlpha } from "../rules/distribution-alpha";
import { metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import { type CheckInput, type CheckResult, resultOf, testedResult } from "./check-result";
import { distributionPair, ksOf, medians } from "./distribution-pair";
import { describeMedians } from "./evaluate-distributions";
import { num } from "./format";
import { binCounts, quantileEdges } from "./sketch-steps";

export const DEFAULT_PSI_BINS = 10;

/**
 * Fewest values on each side for a PSI rule (every one has an alpha, its own or the default): its no-drift quantile is simulated from
 * 100 values on, and below that the table's first column held no level (at 50 values a rule
 * fired 1,200 times more often than its alpha). Smaller samples answer insufficient_data,
 * whatever the rule's min_samples.
 */
export const PSI_MIN_VALUES = PSI_TABLE_CURRENT[0];

export function evaluatePsi(rule: Rule, input: CheckInput): CheckResult {
  const prepared = distributionPair(rule, input);
  if ("result" in prepared) return prepared.result;
  const { cur, base } = prepared.pair;
  // Without an alpha of its own the rule holds the default significance (distribution-alpha.ts).
  const alpha = distributionAlpha(rule);
  if (Math.min(cur.total, base.total) < PSI_MIN_VALUES) {
    const short = cur.total < PSI_MIN_VALUES ? "window" : "baseline";
    return resultOf(rule, {
      outcome: "insufficient_data",
      value: null,
      baseline_value: null,
      statistic: null,
      n_current: cur.total,
      n_baseline: base.total,
      message: `${metricLabel(rule.metric)}: ${short === "window" ? cur.total : base.total} values in the ${short}, PSI needs ≥ ${PSI_MIN_VALUES}`,
    });
  }
  const edges = quantileEdges(base, rule.bins ?? DEFAULT_PSI_BINS);
  const k = edges.length + 1;
  const value = psi(binCounts(base, edges), binCounts(cur, edges));
  const nullQuantile = psiCalibratedQuantile(k, base.total, cur.total, alpha);
  const applied = Math.max(rule.threshold, nullQuantile);
  const ks = ksOf(prepared.pair);
  const m = medians(prepared.pair);
  const why = `the larger of the PSI floor ${num(rule.threshold)} and its no-drift ${num((1 - alpha) * 100, 6)} % quantile ${num(nullQuantile, 2)}`;
  return testedResult(
    rule,
    `${metricLabel(rule.metric)} ${describeMedians(rule, m)}, KS D = ${num(ks.statistic, 2)}, n = ${cur.total} (${k} bins; threshold: ${why})`,
    [{ name: "PSI", value: num(value, 2), fires: `≥ ${num(applied, 2)}`, holds: value >= applied }],
    {
      ...m,
      statistic: value,
      threshold: applied,
      p_value: psiPValue(value, k, base.total, cur.total),
      effect: ks.statistic,
      n_current: cur.total,
      n_baseline: base.total,
    },
  );
}
