// Segment attribution for a rule that fires. Rate rules: which segments (model=…, locale=…)
// carry the excess, each tested against the rest of the traffic with Holm's correction over
// every segment looked at; "everywhere" when none stands out (src/drift/segment-excess.ts).
// Distribution and mix rules: shift-attribution.ts.
import { segmentExcess } from "../../drift";
import { SEGMENT_OUTCOMES, type SegmentCounts } from "../../window/segment-counts";
import { userKey, usersOf } from "../../window/segment-users";
import { isRateMetric, metricKind, type RateMetric } from "../rules/rule-metrics";
import type { Rule } from "../rules/rule-schema";
import type { CheckInput, CheckResult } from "./check-result";
import type { Attribution, SegmentFinding } from "./effect-types";
import { expectedPerMinute } from "./evaluate-volume";
import { rateCounts } from "./metric-values";
import {
  excessSegment,
  lookedAt,
  shareText,
  standingOut,
  type TestedSegment,
} from "./segment-naming";
import { shiftAttribution } from "./shift-attribution";
import { trafficAttribution } from "./volume-attribution";

export { ATTRIBUTION_ALPHA, MAX_NAMED, segmentName } from "./segment-naming";

const at = (k: (typeof SEGMENT_OUTCOMES)[number]) => SEGMENT_OUTCOMES.indexOf(k);

/** The counter a rate counts and the counters of its trials. */
const RATE_COUNTERS: Record<RateMetric, { events: number; trials: number[]; noun: string }> = {
  error_rate: { events: at("error"), trials: [at("count")], noun: "errors" },
  timeout_rate: { events: at("timeout"), trials: [at("count")], noun: "timeouts" },
  refusal_rate: { events: at("refused"), trials: [at("count")], noun: "refusals" },
  filtered_rate: { events: at("filtered"), trials: [at("count")], noun: "filtered answers" },
  unanswered_rate: { events: at("unanswered"), trials: [at("count")], noun: "unanswered" },
  escalation_rate: { events: at("escalated"), trials: [at("count")], noun: "escalations" },
  thumbs_down_rate: {
    events: at("feedback_down"),
    trials: [at("feedback_up"), at("feedback_down")],
    noun: "thumbs-down",
  },
};

const pct1 = (x: number) => `${(x * 100).toFixed(1)} %`;
const own = <T>(r: Record<string, T> | undefined, k: string): T | undefined =>
  r && Object.hasOwn(r, k) ? r[k] : undefined;

export function attribute(
  metric: RateMetric,
  current: SegmentCounts,
  baseline: SegmentCounts | null,
  p0: number,
  up: boolean,
): Attribution {
  const c = RATE_COUNTERS[metric];
  const trialsOf = (row: readonly number[]) => c.trials.reduce((a, i) => a + (row[i] ?? 0), 0);
  const rows: TestedSegment[] = [];
  for (const [dimension, values] of Object.entries(current)) {
    const entries = Object.entries(values).filter(([, row]) => trialsOf(row) > 0);
    if (entries.length < 2) continue; // one value: nothing to tell apart
    const total = entries.reduce((a, [, row]) => a + trialsOf(row), 0);
    const inputs = entries.map(([value, row]) => {
      const base = own(own(baseline ?? undefined, dimension), value) ?? [];
      return {
        observed: row[c.events] ?? 0,
        trials: trialsOf(row),
        baselineObserved: base[c.events] ?? 0,
        baselineTrials: trialsOf(base),
      };
    });
    segmentExcess(inputs, p0, up).forEach((x, i) => {
      const [value] = entries[i] ?? [""];
      const s = inputs[i];
      if (!s) return;
      rows.push(
        excessSegment(dimension, value, s.observed, x, {
          trials: s.trials,
          share_of_traffic: s.trials / total,
          rate: s.observed / s.trials,
          baseline_rate: s.baselineTrials > 0 ? s.baselineObserved / s.baselineTrials : null,
        }),
      );
    });
  }
  const named = standingOut(rows);
  const looked = lookedAt(rows.length);
  const text =
    named.length === 0
      ? `everywhere: no segment stands out (${looked})`
      : `${named
          .map((s, i) => {
            const from = s.baseline_rate === null ? "new" : pct1(s.baseline_rate);
            const lead = i === 0 ? `of the extra ${c.noun} come from ` : "from ";
            return `${shareText(s.share_of_excess)} ${lead}${s.name} (${from} → ${pct1(s.rate)})`;
          })
          .join("; ")} (${looked})`;
  return { everywhere: named.length === 0, looked_at: rows.length, segments: named, text };
}

/**
 * A rate rule's attribution, a traffic drop's (volume-attribution.ts), or the distribution,
 * mix or cost rule's (shift-attribution.ts).
 */
function attributionOf(rule: Rule, input: CheckInput, check: CheckResult): Attribution | null {
  const metric = rule.metric;
  if (metricKind(metric) === "traffic") return trafficAttribution(input, expectedPerMinute(input));
  if (!isRateMetric(metric)) return shiftAttribution(rule, input, check);
  if (!input.segments || input.baseline === null) return null;
  const base = rateCounts(input.baseline, metric);
  if (base.trials === 0) return null;
  const up = (check.effect_size?.estimate ?? 1) >= 0;
  return attribute(
    metric,
    input.segments.current,
    input.segments.baseline,
    base.successes / base.trials,
    up,
  );
}

/** The check with its attribution when a rule breaches and the window has segments. */
export function withAttribution(rule: Rule, input: CheckInput, check: CheckResult): CheckResult {
  if (check.outcome !== "breach" || input.baseline === null) return check;
  const attribution = attributionOf(rule, input, check);
  if (!attribution) return check;
  const top = attribution.segments[0];
  const total = input.current.counters.count;
  const segments = input.segments;
  const affected =
    top && top.dimension !== "" && check.affected && segments
      ? {
          ...check.affected,
          ...topAffected(segments.current, top, total),
          users: segments.users ? usersOf(segments.users, userKey(top.dimension, top.value)) : null,
        }
      : check.affected;
  return { ...check, attribution, ...(affected ? { affected } : {}) };
}

/** The interactions of the top segment and their share of the window's. */
function topAffected(current: SegmentCounts, top: SegmentFinding, total: number) {
  const interactions = own(own(current, top.dimension), top.value)?.[at("count")] ?? 0;
  return { interactions, share_of_traffic: total > 0 ? interactions / total : 0 };
}
