// Sequential (CUSUM) rules: the reading the deployment's detector left for the rule's metric
// this minute (src/alerts/evaluation/sequential.ts), as a check result naming what fired, when
// the change began and the rate since: "thumbs-down rate rose from 5.1 % to 9.8 % around 14:02
// UTC". A distribution is watched through the share of its values beyond a baseline quantile,
// so its value and baseline are shares (unit "ratio"), never milliseconds.

import { metricKind, metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult, Condition } from "./check-result";
import { resultOf, testedResult } from "./check-result";
import { num, pct, withUnit } from "./format";
import type { SequentialReading } from "./sequential";

/** "14:02" in UTC. */
function clock(ms: number): string {
  const d = new Date(ms);
  const two = (x: number) => String(x).padStart(2, "0");
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const QUANTILE_NAMES: Record<string, string> = { "0.5": "median", "0.95": "p95", "0.05": "p5" };

/** "thumbs-down rate", or "share of latency above the baseline median (1,840 ms)". */
function streamName(rule: Rule, r: SequentialReading): string {
  if (metricKind(rule.metric) === "rate") return metricLabel(rule.metric);
  const side = rule.direction === "down" ? "below" : "above";
  const q = QUANTILE_NAMES[String(r.quantile)] ?? `q${r.quantile}`;
  const edge = r.edge === undefined ? "" : ` (${withUnit(rule.metric, r.edge)})`;
  return `share of ${metricLabel(rule.metric)} ${side} the baseline ${q}${edge}`;
}

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
      unit: "ratio",
      message: `${metricLabel(rule.metric)}: no sequential state yet (needs a baseline and a minute of data)`,
    });
  }
  const what = streamName(rule, r);
  const budget = `one false alarm per ${num(rule.threshold)} days per deployment`;
  const cusum = (holds: boolean): Condition => ({
    name: "CUSUM",
    value: num(r.statistic),
    fires: `≥ ${num(r.threshold)} (${budget})`,
    holds,
  });
  const fields = {
    value: r.estimate,
    baseline_value: r.baselineRate,
    statistic: r.statistic,
    threshold: r.threshold,
    n_current: 0,
    n_baseline: 0,
    unit: "ratio",
  };
  if (r.cleared) {
    // The incident resolves on evidence that the rate is back, not on a restarted detector.
    const c = r.cleared;
    return testedResult(
      rule,
      `${what} back to ${pct(c.rate)} by ${clock(c.at)} UTC (baseline ${pct(r.baselineRate)}), after the change around ${clock(r.changeMinute)} UTC`,
      [
        {
          name: "evidence of return",
          value: num(c.back),
          fires: `< ${num(c.backThreshold)}`,
          holds: c.back < c.backThreshold,
        },
      ],
      { ...fields, value: c.rate, statistic: c.back, threshold: c.backThreshold },
    );
  }
  const moved = r.estimate >= r.baselineRate ? "rose" : "fell";
  const since = `from ${pct(r.baselineRate)} to ${pct(r.estimate)} around ${clock(r.changeMinute)} UTC`;
  if (r.episode) {
    const e = r.episode;
    return testedResult(
      rule,
      `${what} ${moved} ${since} (alarm at ${clock(e.raisedAt)} UTC, held until the rate is back)`,
      [
        cusum(true),
        {
          name: "evidence of return",
          value: num(e.back),
          fires: `< ${num(e.backThreshold)}`,
          holds: e.back < e.backThreshold,
        },
      ],
      fields,
    );
  }
  return testedResult(rule, `${what} ${moved} ${since}`, [cusum(r.alarm)], fields);
}
