// Sequential (CUSUM) rules: the reading the deployment's detector left for the rule's metric
// this minute (src/alerts/evaluation/sequential.ts), as a check result naming what fired, when the change
// began and the value since: "thumbs-down rate rose from 5.1 % to 9.8 % around 14:02".

import { metricKind, metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult } from "./check-result";
import { resultOf } from "./check-result";
import { num, pct, withUnit } from "./format";

/** "14:02" in UTC. */
function clock(ms: number): string {
  const d = new Date(ms);
  const two = (x: number) => String(x).padStart(2, "0");
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const QUANTILE_NAMES: Record<string, string> = { "0.5": "median", "0.95": "p95", "0.05": "p5" };

export function evaluateCusum(rule: Rule, input: CheckInput): CheckResult {
  const r = input.sequential?.get(rule.metric);
  if (!r) {
    return resultOf(rule, {
      outcome: input.baseline === null ? "insufficient_data" : "no_data",
      value: null,
      baseline_value: null,
      statistic: null,
      n_current: 0,
      n_baseline: 0,
      message: `${metricLabel(rule.metric)}: no sequential state yet (needs a baseline and a minute of data)`,
    });
  }
  const rose = r.estimate >= r.baselineRate;
  const what =
    metricKind(rule.metric) === "rate"
      ? metricLabel(rule.metric)
      : `${metricLabel(rule.metric)} ${rule.direction === "down" ? "below" : "above"} the baseline ${QUANTILE_NAMES[String(r.quantile)] ?? `q${r.quantile}`}${r.edge === undefined ? "" : ` (${withUnit(rule.metric, r.edge)})`}`;
  const change = `${what} ${rose ? "rose" : "fell"} from ${pct(r.baselineRate)} to ${pct(r.estimate)} around ${clock(r.changeMinute)} UTC`;
  return resultOf(rule, {
    outcome: r.alarm ? "breach" : "ok",
    value: r.estimate,
    baseline_value: r.baselineRate,
    statistic: r.statistic,
    threshold: r.threshold,
    n_current: 0,
    n_baseline: 0,
    message: `${change} (CUSUM ${num(r.statistic)} ${r.alarm ? "≥" : "<"} ${num(r.threshold)}, set for one false alarm per ${num(rule.threshold)} days per deployment)`,
  });
}
