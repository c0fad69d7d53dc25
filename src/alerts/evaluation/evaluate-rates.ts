// Rate rules: a two-proportion z-test against the baseline plus a minimum absolute change,
// and (with alpha) an exact Poisson tail where a normal approximation would be too kind.
import { poissonLowerTail, poissonUpperTail, twoProportionZTest } from "../../drift";
import { beyond } from "../rules/direction";
import { metricLabel, type RateMetric } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import {
  type CheckInput,
  type CheckResult,
  type Condition,
  missingBaseline,
  sampleGate,
  testedResult,
} from "./check-result";
import { num, pct, pts } from "./format";
import { rateCounts } from "./metric-values";

export function evaluateZTest(rule: Rule, metric: RateMetric, input: CheckInput): CheckResult {
  const cur = rateCounts(input.current, metric);
  if (input.baseline === null) return missingBaseline(rule, cur.trials, cur.unit);
  const base = rateCounts(input.baseline, metric);
  const gate = sampleGate(rule, cur.trials, base.trials, cur.unit);
  if (gate) return gate;

  const t = twoProportionZTest(base.successes, base.trials, cur.successes, cur.trials);
  const direction = rule.direction ?? "up";
  const minEffect = rule.min_effect ?? 0;
  const zHolds = beyond(direction, t.z, rule.threshold);
  // Rounded so that 7/100 - 5/100 counts as the 2 points it is.
  const effectHolds = beyond(direction, Math.round(t.difference * 1e12) / 1e12, minEffect);
  let pValue = direction === "up" ? t.pGreater : direction === "down" ? t.pLess : t.pTwoSided;
  let pHolds = true;
  if (rule.alpha !== undefined) {
    // Under H0 the window's count is ~ Poisson(n x pooled rate): exact for rare events, and
    // slightly conservative (variance np instead of np(1 - p)) for common ones.
    const mean = cur.trials * t.pooledRate;
    const up = poissonUpperTail(cur.successes, mean);
    const low = poissonLowerTail(cur.successes, mean);
    pValue =
      direction === "up" ? up : direction === "down" ? low : Math.min(1, 2 * Math.min(up, low));
    pHolds = pValue < rule.alpha;
  }
  // Shown as compared: |x| for "both", thresholds negated for "down".
  const shown = (x: number) => (direction === "both" ? Math.abs(x) : x);
  const bound = (x: number) => (direction === "down" ? -x : x);
  const op = direction === "down" ? "≤" : "≥";
  const abs = (name: string) => (direction === "both" ? `|${name}|` : name);
  // With alpha, the p-value comes from the exact Poisson tail while z is the normal
  // approximation: both are named, so a message showing both never reads as one test.
  const conditions: Condition[] = [
    {
      name: abs(rule.alpha === undefined ? "z" : "z (normal approximation)"),
      value: num(shown(t.z), 2),
      fires: `${op} ${num(bound(rule.threshold))}`,
      holds: zHolds,
    },
  ];
  if (minEffect > 0) {
    conditions.push({
      name: abs("Δ"),
      value: pts(shown(t.difference)),
      fires: `${op} ${pts(bound(minEffect))}`,
      holds: effectHolds,
    });
  }
  if (rule.alpha !== undefined) {
    conditions.push({
      name: "p (exact Poisson tail)",
      value: num(pValue, 2),
      fires: `< ${num(rule.alpha)}`,
      holds: pHolds,
    });
  }
  return testedResult(
    rule,
    `${metricLabel(metric)} ${pct(t.currentRate)} vs ${pct(t.baselineRate)} baseline, n = ${cur.trials} ${cur.unit}`,
    conditions,
    {
      value: t.currentRate,
      baseline_value: t.baselineRate,
      statistic: t.z,
      p_value: pValue,
      effect: t.difference,
      n_current: cur.trials,
      n_baseline: base.trials,
    },
  );
}
