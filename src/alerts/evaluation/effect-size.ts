// How big a rule's change is, with a 95 % interval, for every kind of rule: a difference of
// proportions (rates, mix shares), a ratio (quantiles, traffic, cost) or, for static rules,
// the window's own value. The methods are stated in docs/detection.md ("Effect sizes").

import {
  compareQuantiles,
  newcombeDifference,
  poissonRateRatio,
  quantileRanks,
  wilsonInterval,
} from "../../drift";
import type { Bucket } from "../../window/bucket";
import { ALL_USERS, usersOf } from "../../window/segment-users";
import { SKETCH_ALPHA } from "../../window/sketch";
import {
  isRateMetric,
  type Metric,
  metricKind,
  metricLabel,
  type RateMetric,
} from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult } from "./check-result";
import type { EffectMethod, EffectSize } from "./effect-types";
import { QUANTILE_LEVEL } from "./evaluate-distributions";
import { expectedPerMinute } from "./evaluate-volume";
import { num, withUnit } from "./format";
import { costPerRequest, mixOf, rateCounts, sketchOf } from "./metric-values";
import { type Steps, stepsOf } from "./sketch-steps";

const signed = (x: number, text: string) => (x > 0 ? `+${text}` : text);
const points = (x: number) => (x * 100).toFixed(1).replace(/^-0\.0$/, "0.0");
const ci = (lower: string, upper: string) => `(95 % CI ${lower} to ${upper})`;

function difference(of: string, d: { difference: number; lower: number; upper: number }) {
  return {
    kind: "difference",
    of,
    estimate: d.difference,
    lower: d.lower,
    upper: d.upper,
    level: 0.95,
    method: "newcombe_hybrid_score",
    text: `${signed(d.difference, points(d.difference))} points ${ci(points(d.lower), points(d.upper))}`,
  } as const satisfies EffectSize;
}

function ratio(
  of: string,
  r: { estimate: number; lower: number; upper: number },
  method: EffectMethod,
) {
  return {
    kind: "ratio",
    of,
    estimate: r.estimate,
    lower: r.lower,
    upper: r.upper,
    level: 0.95,
    method,
    text: `×${num(r.estimate)} ${ci(num(r.lower), num(r.upper))}`,
  } as const satisfies EffectSize;
}

/** The value at a 1-based rank of the sketch's steps. */
function atRank(steps: Steps, rank: number): number {
  for (let i = 0; i < steps.values.length; i++) {
    if ((steps.cumulative[i] ?? 0) >= rank) return steps.values[i] ?? steps.max;
  }
  return steps.max;
}

function quantileBounds(steps: Steps, q: number) {
  const ranks = quantileRanks(steps.total, q);
  return {
    estimate: atRank(steps, Math.floor(q * (steps.total - 1)) + 1),
    lower: atRank(steps, ranks.lower),
    upper: atRank(steps, ranks.upper),
  };
}

function rateEffect(metric: RateMetric, input: CheckInput) {
  if (input.baseline === null) return undefined;
  const cur = rateCounts(input.current, metric);
  const base = rateCounts(input.baseline, metric);
  if (cur.trials === 0 || base.trials === 0) return undefined;
  return difference(
    metricLabel(metric),
    newcombeDifference(base.successes, base.trials, cur.successes, cur.trials),
  );
}

/** The category whose share moved most, with its interval. */
function mixEffect(metric: Metric, current: Bucket, baseline: Bucket) {
  const cur = mixOf(current, metric);
  const base = mixOf(baseline, metric);
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const [nc, nb] = [total(cur), total(base)];
  if (nc === 0 || nb === 0) return undefined;
  let best: { name: string; d: ReturnType<typeof newcombeDifference> } | undefined;
  for (const name of new Set([...Object.keys(cur), ...Object.keys(base)])) {
    const own = (c: Record<string, number>) => (Object.hasOwn(c, name) ? (c[name] ?? 0) : 0);
    const d = newcombeDifference(own(base), nb, own(cur), nc);
    // A tie (two categories trading share) names the one that grew.
    const gap = best ? Math.abs(d.difference) - Math.abs(best.d.difference) : 1;
    if (gap > 1e-12 || (gap > -1e-12 && best && d.difference > best.d.difference))
      best = { name, d };
  }
  if (!best) return undefined;
  const dimension = metric.startsWith("tags.") ? metric.slice(5) : metric.replace(/_mix$/, "");
  return difference(`share of ${dimension}=${best.name}`, best.d);
}

/** A quantile ratio (or difference, for values at or below 0) with its interval. */
function quantileEffect(rule: Rule, input: CheckInput, q: number, label: string) {
  if (input.baseline === null) return undefined;
  const cur = stepsOf(sketchOf(input.current, rule.metric));
  const base = stepsOf(sketchOf(input.baseline, rule.metric));
  if (cur.total === 0 || base.total === 0) return undefined;
  const c = compareQuantiles(quantileBounds(cur, q), quantileBounds(base, q), SKETCH_ALPHA);
  const of = `${metricLabel(rule.metric)} ${label}`;
  if (c.kind === "ratio") return ratio(of, c, "order_statistics_price_bonett");
  const show = (x: number) => withUnit(rule.metric, x);
  return {
    kind: "difference",
    of,
    estimate: c.estimate,
    lower: c.lower,
    upper: c.upper,
    level: 0.95,
    method: "order_statistics_price_bonett",
    text: `${signed(c.estimate, show(c.estimate))} ${ci(show(c.lower), show(c.upper))}`,
  } as const satisfies EffectSize;
}

function staticEffect(rule: Rule, input: CheckInput): EffectSize | undefined {
  const metric = rule.metric;
  if (isRateMetric(metric)) {
    const r = rateCounts(input.current, metric);
    if (r.trials === 0) return undefined;
    const w = wilsonInterval(r.successes, r.trials);
    const est = r.successes / r.trials;
    const show = (x: number) => (x * 100).toFixed(1);
    return {
      kind: "value",
      of: metricLabel(metric),
      estimate: est,
      lower: w.lower,
      upper: w.upper,
      level: 0.95,
      method: "wilson_score",
      text: `${show(est)} % ${ci(show(w.lower), `${show(w.upper)} %`)}`,
    };
  }
  if (metricKind(metric) !== "distribution") return undefined;
  const steps = stepsOf(sketchOf(input.current, metric));
  if (steps.total === 0) return undefined;
  const quantile = rule.quantile ?? "p95";
  const b = quantileBounds(steps, QUANTILE_LEVEL[quantile]);
  const [lower, upper] = [b.lower * (1 - SKETCH_ALPHA), b.upper * (1 + SKETCH_ALPHA)].sort(
    (x, y) => x - y,
  ) as [number, number];
  const show = (x: number) => withUnit(metric, x);
  return {
    kind: "value",
    of: `${metricLabel(metric)} ${quantile}`,
    estimate: b.estimate,
    lower,
    upper,
    level: 0.95,
    method: "order_statistics",
    text: `${show(b.estimate)} ${ci(show(lower), show(upper))}`,
  };
}

function trafficEffect(input: CheckInput): EffectSize | undefined {
  const observed = input.current.counters.count;
  const perMinute = expectedPerMinute(input);
  if (perMinute === null || !(perMinute > 0) || !(input.baselineMinutes > 0)) return undefined;
  // The expected rate is treated as counted over the baseline's minutes.
  const r = poissonRateRatio(
    observed,
    input.currentMinutes,
    perMinute * input.baselineMinutes,
    input.baselineMinutes,
  );
  return ratio(
    "traffic",
    { estimate: r.ratio, lower: r.lower, upper: r.upper },
    "poisson_rate_ratio_log",
  );
}

function costEffect(input: CheckInput): EffectSize | undefined {
  if (input.baseline === null) return undefined;
  const cur = costPerRequest(input.current);
  const base = costPerRequest(input.baseline);
  if (cur.mean === null || base.mean === null || !(base.mean > 0)) return undefined;
  const estimate = cur.mean / base.mean;
  return {
    kind: "ratio",
    of: "cost per request",
    estimate,
    lower: null,
    upper: null,
    level: 0.95,
    method: "none",
    // Buckets keep the sum of costs but not their spread, so there is no interval to give.
    text: `×${num(estimate)} (no interval: the window keeps no spread of cost)`,
  };
}

/**
 * The effect size of a rule whose test ran (a breach or ok with conditions); undefined when
 * the window or baseline holds nothing to measure it on.
 */
export function effectOf(rule: Rule, input: CheckInput): EffectSize | undefined {
  const metric = rule.metric;
  if (rule.test === "static") return staticEffect(rule, input);
  if (rule.test === "traffic_drop") return trafficEffect(input);
  if (rule.test === "ratio") return costEffect(input);
  if (isRateMetric(metric)) return rateEffect(metric, input);
  if (metricKind(metric) === "mix") {
    return input.baseline === null ? undefined : mixEffect(metric, input.current, input.baseline);
  }
  if (metricKind(metric) !== "distribution") return undefined;
  // quantile_ratio compares its own quantile; the shape tests (PSI, KS, Wasserstein, CUSUM)
  // are sized by the shift of the median.
  const quantile = rule.test === "quantile_ratio" ? (rule.quantile ?? "p95") : "p50";
  return quantileEffect(rule, input, QUANTILE_LEVEL[quantile], quantile);
}

/** The check result with its effect size, when its test ran. */
export function withEffect(rule: Rule, input: CheckInput, check: CheckResult): CheckResult {
  if (check.conditions === undefined) return check;
  const effect = effectOf(rule, input);
  if (!effect) return check;
  const interactions = input.current.counters.count;
  const users = input.segments?.users ? usersOf(input.segments.users, ALL_USERS) : null;
  return {
    ...check,
    effect_size: effect,
    affected: { interactions, share_of_traffic: interactions > 0 ? 1 : 0, users: users ?? null },
  };
}
