// What evaluating one rule returns (CheckResult), its input (CheckInput), and the shared
// builders for the outcomes every test can end in.
import type { Bucket } from "../../window/bucket";
import type { SegmentCounts } from "../../window/segment-counts";
import type { SegmentMoments } from "../../window/segment-moments";
import type { SegmentUsers } from "../../window/segment-users";
import { type Metric, metricLabel, type TestName } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { Affected, Attribution, EffectSize } from "./effect-types";
import { unitOf } from "./format";
import type { SequentialReading } from "./sequential";

export type CheckOutcome = "ok" | "breach" | "insufficient_data" | "no_data";

/** One deployment's evaluation window and its baseline, both merged buckets. */
export interface CheckInput {
  current: Bucket;
  /** null when the deployment has no baseline yet (only static and traffic rules can run). */
  baseline: Bucket | null;
  /** Minutes covered by `current` (the rule's window_minutes). */
  currentMinutes: number;
  /** Minutes covered by `baseline`. */
  baselineMinutes: number;
  /** Expected interactions per minute for this hour of week; else baseline count / minutes. */
  baselineVolumePerMinute?: number;
  /** The sequential detector's readings this minute, for cusum rules (src/alerts/evaluation/sequential.ts). */
  sequential?: ReadonlyMap<Metric, SequentialReading>;
  /** Outcome counts per segment of the window and baseline (null: the baseline has none). */
  segments?: {
    current: SegmentCounts;
    baseline: SegmentCounts | null;
    /** Distinct users per segment of the window; null when not kept (a window read at hours). */
    users?: SegmentUsers | null;
    /** Moments of latency, lengths and scores per segment (distribution attribution). */
    moments?: { current: SegmentMoments; baseline: SegmentMoments | null };
  };
}

/**
 * One condition a breach needs, as evaluated: a rule fires only when all of its conditions
 * hold, so the ones that hold explain a firing and the ones that fail explain a resolve.
 */
export interface Condition {
  /** What is compared, naming the test when two could be confused: "p (exact Poisson tail)". */
  name: string;
  /** Its value as shown, with its unit: "5.1", "10 pts". */
  value: string;
  /** The comparison that fires, as shown: "≥ 3", "< 3e-5". */
  fires: string;
  holds: boolean;
}

export interface CheckResult {
  rule_id: string;
  metric: Metric;
  test: TestName;
  outcome: CheckOutcome;
  /** The current window's value of the metric (rate, quantile, median, share...). */
  value: number | null;
  baseline_value: number | null;
  /** The number compared with `threshold` (z, ratio, PSI, KS D, JS distance...). */
  statistic: number | null;
  /** The threshold actually applied to `statistic` (for PSI: max of floor and null quantile). */
  threshold: number;
  p_value?: number;
  /** The secondary effect size: the rate change for z_test, KS D for psi. */
  effect?: number;
  /** Observations behind the test: interactions, thumbs, sketch values, cost events. */
  n_current: number;
  n_baseline: number;
  /** What value and baseline_value are measured in ("ratio", "ms", "USD"...), or null. */
  unit: string | null;
  /** The values compared, without the verdict: "thumbs-down rate 12 % vs 5 % baseline, n = 80 thumbs". */
  summary?: string;
  /** Every condition of the test, when it ran (absent for no_data and insufficient_data). */
  conditions?: Condition[];
  /** How big the change is, with its 95 % interval, when the test ran (effect-size.ts). */
  effect_size?: EffectSize;
  /** The traffic the change reaches, when the test ran. */
  affected?: Affected;
  /** Where the change is, for a rate rule that breaches (attribution.ts). */
  attribution?: Attribution;
  /** One line a person reads in the check series: the summary and each condition. */
  message: string;
}

type Fields = Omit<CheckResult, "rule_id" | "metric" | "test" | "unit" | "threshold"> & {
  threshold?: number;
  /** Overrides the metric's unit when the test measures something else (a share beyond a quantile). */
  unit?: string | null;
};

/** "z = 5.1 ≥ 3" when the condition holds, "p = 1.5e-4, not < 3e-5" when it does not. */
export function conditionText(c: Condition): string {
  return c.holds ? `${c.name} = ${c.value} ${c.fires}` : `${c.name} = ${c.value}, not ${c.fires}`;
}

/**
 * A tested outcome: breach when every condition holds, else ok. The message is the
 * summary followed by each condition, so the check series says why too.
 */
export function testedResult(
  rule: Rule,
  summary: string,
  conditions: Condition[],
  fields: Omit<Fields, "outcome" | "message" | "summary" | "conditions">,
): CheckResult {
  return resultOf(rule, {
    ...fields,
    outcome: conditions.every((c) => c.holds) ? "breach" : "ok",
    summary,
    conditions,
    message: `${summary}: ${conditions.map(conditionText).join("; ")}`,
  });
}

export function resultOf(rule: Rule, fields: Fields): CheckResult {
  return {
    rule_id: rule.id,
    metric: rule.metric,
    test: rule.test,
    unit: unitOf(rule.metric),
    threshold: rule.threshold,
    ...fields,
  };
}

const EMPTY = { value: null, baseline_value: null, statistic: null } as const;

/**
 * The outcome when there is no baseline to compare with: no_data if the window has nothing
 * for this metric either, else insufficient_data. `what` names the unit counted ("thumbs").
 */
export function missingBaseline(rule: Rule, nCurrent: number, what: string): CheckResult {
  if (nCurrent === 0) return noData(rule, what);
  return resultOf(rule, {
    outcome: "insufficient_data",
    ...EMPTY,
    n_current: nCurrent,
    n_baseline: 0,
    message: `${metricLabel(rule.metric)}: no baseline yet`,
  });
}

function noData(rule: Rule, what: string, nBaseline = 0): CheckResult {
  return resultOf(rule, {
    outcome: "no_data",
    ...EMPTY,
    n_current: 0,
    n_baseline: nBaseline,
    message: `${metricLabel(rule.metric)}: no ${what} in the last ${rule.window_minutes} min`,
  });
}

/**
 * Small samples never alert: no_data when the window has nothing for this metric,
 * insufficient_data when either side is below min_samples. null when the test can run.
 * nBaseline is null for tests without a baseline (static thresholds).
 */
export function sampleGate(
  rule: Rule,
  nCurrent: number,
  nBaseline: number | null,
  what: string,
): CheckResult | null {
  if (nCurrent === 0) return noData(rule, what, nBaseline ?? 0);
  const short =
    nCurrent < rule.min_samples
      ? "window"
      : nBaseline !== null && nBaseline < rule.min_samples
        ? "baseline"
        : null;
  if (short === null) return null;
  return resultOf(rule, {
    outcome: "insufficient_data",
    ...EMPTY,
    n_current: nCurrent,
    n_baseline: nBaseline ?? 0,
    message: `${metricLabel(rule.metric)}: ${short === "window" ? nCurrent : nBaseline} ${what} in the ${short}, need ≥ ${rule.min_samples}`,
  });
}
