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
  /** Distinct (hashed) users: null, the window keeps no count of users. */
  users: number | null;
}
