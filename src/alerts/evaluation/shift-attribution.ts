// Attribution for distribution, cost and mix rules that fire. Distribution rules (latency, time
// to first token, output tokens and characters, retrieval top score, custom evals) and the
// cost per request: which segments' values shifted, from the moments each segment keeps
// (src/window/segment-moments.ts, src/drift/segment-shift.ts).
// Mix rules (model, finish reason, a tag's values): which categories' shares moved
// (src/drift/category-shift.ts); the window keeps no cross-tabulation of a mix with the other
// dimensions, so a mix is attributed to its own categories. Both test every segment (or
// category) looked at with Holm's correction at ATTRIBUTION_ALPHA; none standing out is
// "everywhere" (for a mix: spread over its categories).
import { categoryShift, segmentShift } from "../../drift";
import {
  COST_METRIC,
  hasSegmentMoments,
  inUnit,
  logScale,
  momentsOf,
  type SegmentMoments,
  typicalValue,
} from "../../window/segment-moments";
import { type Metric, metricKind, metricLabel } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult } from "./check-result";
import type { Attribution } from "./effect-types";
import { pct, withUnit } from "./format";
import { mixOf } from "./metric-values";
import {
  lookedAt,
  standingOut as named,
  type TestedSegment as Row,
  segmentName,
  shareText as share,
} from "./segment-naming";

const own = <T>(r: Record<string, T> | undefined | null, k: string): T | undefined =>
  r && Object.hasOwn(r, k) ? r[k] : undefined;

/**
 * A distribution rule's segments: whose typical value shifted the way the rule fired. The
 * cost per request alike, by its mean: a segment's excess is its extra cost (n × shift).
 */
export function attributeDistribution(
  metric: Metric,
  current: SegmentMoments,
  baseline: SegmentMoments | null,
  up: boolean,
): Attribution | null {
  if (!hasSegmentMoments(metric)) return null;
  const rows: Row[] = [];
  const typical = (mean: number) => typicalValue(metric, mean);
  for (const [dimension, values] of Object.entries(current.dims)) {
    const entries = Object.entries(values)
      .map(([value, row]) => ({ value, m: momentsOf(row, metric, current.evals) }))
      .filter((x) => x.m.n > 0);
    if (entries.length < 2) continue;
    const total = entries.reduce((a, x) => a + x.m.n, 0);
    const inputs = entries.map(({ value, m }) => {
      const b = momentsOf(own(own(baseline?.dims, dimension), value), metric, baseline?.evals);
      return {
        n: m.n,
        mean: m.mean,
        variance: m.variance,
        baselineN: b.n,
        baselineMean: b.mean,
        baselineVariance: b.variance,
      };
    });
    // Without any baseline moments (history stored before them, a pinned baseline) a
    // segment cannot be told from its usual self: the dimension is not looked at.
    if (inputs.every((s) => s.baselineN === 0)) continue;
    // A cost stands out by its factor: a price rise everywhere adds most to the dearest.
    segmentShift(inputs, up, metric === COST_METRIC).forEach((x, i) => {
      const e = entries[i];
      const s = inputs[i];
      if (!e || !s) return;
      rows.push({
        dimension,
        value: e.value,
        name: segmentName(dimension, e.value),
        observed: typical(s.mean),
        expected: typical(x.expectedMean),
        // Values × log units on the log scale; the extra cost in USD for the cost per request.
        excess: logScale(metric) ? x.excess : inUnit(metric, x.excess),
        share_of_excess: x.share,
        trials: s.n,
        share_of_traffic: s.n / total,
        rate: typical(s.mean),
        baseline_rate: s.baselineN > 0 ? typical(s.baselineMean) : null,
        p_value: 1,
        measure: "typical_value",
        p: x.pValue,
      });
    });
  }
  if (rows.length === 0) return null;
  const found = named(rows);
  const looked = lookedAt(rows.length);
  const way =
    metric === COST_METRIC ? "extra cost" : `${up ? "rise" : "fall"} in ${metricLabel(metric)}`;
  const value = (x: number) => withUnit(metric, x);
  const typicalWord = logScale(metric) ? "typical" : "mean";
  const text =
    found.length === 0
      ? `everywhere: no segment stands out (${looked})`
      : `${found
          .map((s, i) => {
            const from = s.baseline_rate === null ? "new" : value(s.baseline_rate);
            const lead = i === 0 ? `of the ${way} comes from ` : "from ";
            return `${share(s.share_of_excess)} ${lead}${s.name} (${typicalWord} ${from} → ${value(s.rate)})`;
          })
          .join("; ")} (${looked})`;
  return { everywhere: found.length === 0, looked_at: rows.length, segments: found, text };
}

/** The segment dimension a mix metric's categories belong to. */
const mixDimension = (metric: string) =>
  metric === "model_mix" ? "model" : metric === "finish_reason_mix" ? "finish_reason" : metric;

/** A mix rule's categories: whose share of the events moved. */
export function attributeMix(metric: string, input: CheckInput): Attribution | null {
  if (input.baseline === null) return null;
  const cur = mixOf(input.current, metric);
  const base = mixOf(input.baseline, metric);
  const names = [...new Set([...Object.keys(cur), ...Object.keys(base)])].sort();
  if (names.length < 2) return null;
  const c = names.map((k) => own(cur, k) ?? 0);
  const b = names.map((k) => own(base, k) ?? 0);
  const nc = c.reduce((a, x) => a + x, 0);
  const nb = b.reduce((a, x) => a + x, 0);
  if (nc === 0 || nb === 0) return null;
  const dimension = mixDimension(metric);
  const rows: Row[] = categoryShift(c, b).map((x, i) => {
    const value = names[i] ?? "";
    const observed = c[i] ?? 0;
    const before = b[i] ?? 0;
    return {
      dimension,
      value,
      name: segmentName(dimension, value),
      observed,
      expected: x.expected,
      excess: x.excess,
      share_of_excess: x.share,
      trials: nc,
      share_of_traffic: observed / nc,
      rate: observed / nc,
      baseline_rate: before > 0 ? before / nb : null,
      p_value: 1,
      measure: "share",
      p: x.pValue,
    };
  });
  const found = named(rows);
  const looked = `${rows.length} categor${rows.length === 1 ? "y" : "ies"} looked at`;
  const text =
    found.length === 0
      ? `everywhere: spread over the categories, none moved alone (${looked})`
      : `${found
          .map((s, i) => {
            const from = s.baseline_rate === null ? "new" : pct(s.baseline_rate);
            const lead = i === 0 ? "of the shift is " : "";
            return `${share(s.share_of_excess)} ${lead}${s.name} (${from} → ${pct(s.rate)} of events)`;
          })
          .join("; ")} (${looked})`;
  return { everywhere: found.length === 0, looked_at: rows.length, segments: found, text };
}

/** The attribution of a firing distribution or mix rule; null for other kinds or no data. */
export function shiftAttribution(
  rule: Rule,
  input: CheckInput,
  check: CheckResult,
): Attribution | null {
  const kind = metricKind(rule.metric);
  if (kind === "mix") return attributeMix(rule.metric, input);
  if ((kind !== "distribution" && kind !== "cost") || !input.segments?.moments) return null;
  // The way the rule fired: the effect's sign (a ratio above 1, a difference above 0).
  const e = check.effect_size;
  const up = e ? (e.kind === "ratio" ? e.estimate >= 1 : e.estimate >= 0) : true;
  return attributeDistribution(
    rule.metric,
    input.segments.moments.current,
    input.segments.moments.baseline,
    up,
  );
}
