// The effect size a check result carries (src/alerts/evaluation/effect-size.ts computes it).

export const EFFECT_METHODS = [
  "newcombe_hybrid_score",
  "wilson_score",
  "poisson_rate_ratio_log",
  "order_statistics",
  "order_statistics_price_bonett",
  "none",
] as const;
export type EffectMethod = (typeof EFFECT_METHODS)[number];

export interface EffectSize {
  /** current − baseline, current / baseline, or (static rules) the window's value. */
  kind: "difference" | "ratio" | "value";
  /** What the estimate measures: "thumbs-down rate", "latency p95", "model share of gpt-4o". */
  of: string;
  estimate: number;
  /** The 95 % interval; null when the window keeps nothing to compute one (cost). */
  lower: number | null;
  upper: number | null;
  level: 0.95;
  method: EffectMethod;
  /** As shown in alerts: "+25.7 points (95 % CI 19.8 to 31.5)". */
  text: string;
}

/** Who the change reaches: the traffic of the window (or, with segments, of the named ones). */
export interface Affected {
  /** Interactions in the window (in the named segments when attribution named any). */
  interactions: number;
  /** Those interactions as a share of the window's. */
  share_of_traffic: number;
  /**
   * Distinct (hashed) users of those interactions, estimated (src/window/distinct-count.ts:
   * about 13 % relative error); null when not counted (a window read at hours, a segment
   * beyond the kept ones, "other").
   */
  users: number | null;
}

/** A segment that carries the change (src/alerts/evaluation/attribution.ts). */
export interface SegmentFinding {
  /** "model", "provider", "prompt_version", "finish_reason" or "tags.<key>". */
  dimension: string;
  /** The value; "other" for the values beyond a dimension's top 20. */
  value: string;
  /** As shown: "locale=ja". */
  name: string;
  /** Events (errors, thumbs-down) in the window, and those its baseline rate expects. */
  observed: number;
  expected: number;
  excess: number;
  /** excess ÷ the dimension's total excess. */
  share_of_excess: number;
  /** Trials (interactions, thumbs) in the window, and their share of the dimension's. */
  trials: number;
  share_of_traffic: number;
  rate: number;
  /** null: the segment had no traffic in the baseline. */
  baseline_rate: number | null;
  /** Holm-adjusted, over every segment looked at. */
  p_value: number;
  /**
   * What observed, expected, rate and baseline_rate measure: "rate" (rate rules: events and
   * their rate; absent on older checks), "typical_value" (distribution rules: the segment's
   * typical value now and expected, exp of the mean of ln(1 + v) − 1, in the metric's unit;
   * excess in values × log units), "share" (mix rules: the category's events and share) or
   * "requests" (traffic drops: the window's requests and those expected; rate and
   * baseline_rate per minute; excess negative, the missing requests).
   */
  measure?: "rate" | "typical_value" | "share" | "requests";
}

export interface Attribution {
  /** True when no segment stands out: the change is everywhere. */
  everywhere: boolean;
  looked_at: number;
  /** The segments that stand out, largest share of the excess first (at most 3). */
  segments: SegmentFinding[];
  /** As shown after "Where: ". */
  text: string;
}
