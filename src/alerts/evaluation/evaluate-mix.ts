// Mix rules: a chi-squared test of homogeneity (sparse categories pooled) paired with the
// Jensen-Shannon distance as the effect size; rates can be tested as a two-category mix.
import { categoryExactTest, chiSquaredHomogeneity, jensenShannonDistance } from "../../drift";
import type { Bucket } from "../../window/bucket";
import { isRateMetric, metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import {
  type CheckInput,
  type CheckResult,
  type Condition,
  missingBaseline,
  sampleGate,
  testedResult,
} from "./check-result";
import { num, pct } from "./format";
import { mixOf, rateCounts } from "./metric-values";

/** Cochran's rule: the chi-squared approximation wants about 5 expected per cell. */
export const MIN_EXPECTED = 5;

function countsOf(b: Bucket, metric: string): Map<string, number> {
  if (isRateMetric(metric)) {
    const r = rateCounts(b, metric);
    return new Map([
      ["yes", r.successes],
      ["no", r.trials - r.successes],
    ]);
  }
  return new Map(Object.entries(mixOf(b, metric)));
}

/**
 * Merges the categories expected fewer than MIN_EXPECTED times in the window (baseline share
 * times window size) into one, so that a handful of rare values cannot fake significance.
 */
export function poolSparse(
  baseline: readonly number[],
  current: readonly number[],
): { baseline: number[]; current: number[] } {
  const nb = baseline.reduce((a, b) => a + b, 0);
  const nc = current.reduce((a, b) => a + b, 0);
  const out = { baseline: [] as number[], current: [] as number[] };
  let rareB = 0;
  let rareC = 0;
  baseline.forEach((b, i) => {
    const c = current[i] ?? 0;
    if ((b / nb) * nc >= MIN_EXPECTED) {
      out.baseline.push(b);
      out.current.push(c);
    } else {
      rareB += b;
      rareC += c;
    }
  });
  if (rareB + rareC > 0) {
    out.baseline.push(rareB);
    out.current.push(rareC);
  }
  return out;
}

/** The mix rule's statistics on aligned baseline and current counts. */
export function mixTest(
  b: readonly number[],
  c: readonly number[],
): { js: number; pValue: number; dof: number } {
  const pooled = poolSparse(b, c);
  const chi = chiSquaredHomogeneity(pooled.baseline, pooled.current);
  // Chi-squared's tail is far too light when a category expects a handful of counts (shares
  // 0.95/0.04/0.01 seen through 150 events: p < 1e-6 with probability 1.7e-4). The exact
  // per-category test holds its level at any size, so requiring both keeps alpha honest.
  const pValue = Math.max(chi.pValue, categoryExactTest(b, c).pValue);
  return { js: jensenShannonDistance(b, c), pValue, dof: chi.dof };
}

export function evaluateChiSquared(rule: Rule, input: CheckInput): CheckResult {
  const cur = countsOf(input.current, rule.metric);
  const nCur = [...cur.values()].reduce((a, b) => a + b, 0);
  const what = isRateMetric(rule.metric) ? "values" : "events";
  if (input.baseline === null) return missingBaseline(rule, nCur, what);
  const base = countsOf(input.baseline, rule.metric);
  const nBase = [...base.values()].reduce((a, b) => a + b, 0);
  const gate = sampleGate(rule, nCur, nBase, what);
  if (gate) return gate;

  const names = [...new Set([...base.keys(), ...cur.keys()])].sort();
  const b = names.map((k) => base.get(k) ?? 0);
  const c = names.map((k) => cur.get(k) ?? 0);
  const { js, pValue, dof } = mixTest(b, c);

  // The category whose share moved most, to name in the message.
  let top = { name: names[0] ?? "?", cur: 0, base: 0 };
  names.forEach((name, i) => {
    const shareC = (c[i] ?? 0) / nCur;
    const shareB = (b[i] ?? 0) / nBase;
    if (Math.abs(shareC - shareB) >= Math.abs(top.cur - top.base))
      top = { name, cur: shareC, base: shareB };
  });
  const conditions: Condition[] = [
    {
      name: "JS distance",
      value: num(js, 2),
      fires: `≥ ${num(rule.threshold)}`,
      holds: js >= rule.threshold,
    },
  ];
  if (rule.alpha !== undefined) {
    // The larger of the chi-squared and the exact per-category p-values (see mixTest).
    conditions.push({
      name: `p (chi-squared, ${dof} dof, and exact)`,
      value: num(pValue, 2),
      fires: `< ${num(rule.alpha)}`,
      holds: pValue < rule.alpha,
    });
  }
  return testedResult(
    rule,
    `${metricLabel(rule.metric)}: "${top.name}" ${pct(top.cur)} vs ${pct(top.base)} baseline, n = ${nCur}`,
    conditions,
    {
      value: top.cur,
      baseline_value: top.base,
      statistic: js,
      p_value: pValue,
      n_current: nCur,
      n_baseline: nBase,
    },
  );
}
