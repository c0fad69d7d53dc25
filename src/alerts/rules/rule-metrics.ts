// The metrics and tests a rule can name, what kind of signal each metric is, and which
// tests apply to which kind: the compatibility table the rule schema enforces.

export const RATE_METRICS = [
  "error_rate",
  "timeout_rate",
  "refusal_rate",
  "filtered_rate",
  "unanswered_rate",
  "escalation_rate",
  "thumbs_down_rate",
] as const;
export type RateMetric = (typeof RATE_METRICS)[number];

/** Distributions with a sketch in every bucket; custom evals are `evals.<name>`. */
export const DISTRIBUTION_METRICS = [
  "latency_ms",
  "ttft_ms",
  "output_chars",
  "output_tokens",
  "retrieval_top_score",
] as const;
export type DistributionMetric = (typeof DISTRIBUTION_METRICS)[number];

/** Categorical mixes; custom tag keys are `tags.<key>`. */
export const MIX_METRICS = ["model_mix", "finish_reason_mix"] as const;
export type MixMetric = (typeof MIX_METRICS)[number];

export const FIXED_METRICS = [
  ...RATE_METRICS,
  ...DISTRIBUTION_METRICS,
  ...MIX_METRICS,
  "cost_per_request",
  "traffic",
] as const;

export type EvalMetric = `evals.${string}`;
export type TagMetric = `tags.${string}`;
export type Metric = (typeof FIXED_METRICS)[number] | EvalMetric | TagMetric;

export const TESTS = [
  "z_test",
  "quantile_ratio",
  "psi",
  "ks",
  "wasserstein",
  "chi_squared",
  "ratio",
  "traffic_drop",
  "static",
  "cusum",
] as const;
export type TestName = (typeof TESTS)[number];

export type MetricKind = "rate" | "distribution" | "mix" | "cost" | "traffic";

const has = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export const isRateMetric = (m: string): m is RateMetric => has(RATE_METRICS, m);

export function metricKind(metric: Metric): MetricKind {
  if (isRateMetric(metric)) return "rate";
  if (has(DISTRIBUTION_METRICS, metric) || metric.startsWith("evals.")) return "distribution";
  if (has(MIX_METRICS, metric) || metric.startsWith("tags.")) return "mix";
  return metric === "cost_per_request" ? "cost" : "traffic";
}

/**
 * Which tests each kind of metric accepts. Rates also take chi_squared (a 2-category mix:
 * its JS distance is Evidently's test for binary columns above 1,000 rows).
 */
export const TESTS_BY_KIND: Record<MetricKind, readonly TestName[]> = {
  rate: ["z_test", "chi_squared", "static", "cusum"],
  distribution: ["quantile_ratio", "psi", "ks", "wasserstein", "static", "cusum"],
  mix: ["chi_squared"],
  cost: ["ratio", "static"],
  traffic: ["traffic_drop"],
};

/** Optional parameters and the tests that read them; naming one elsewhere is an error. */
export const PARAM_TESTS = {
  min_effect: ["z_test"],
  alpha: ["z_test", "psi", "ks", "chi_squared", "traffic_drop"],
  quantile: ["quantile_ratio", "static"],
  direction: ["z_test", "quantile_ratio", "ratio", "static", "cusum"],
  bins: ["psi"],
} as const satisfies Record<string, readonly TestName[]>;
export type RuleParam = keyof typeof PARAM_TESTS;

/** Human names for messages: "thumbs-down rate", "latency", "eval groundedness". */
export function metricLabel(metric: Metric): string {
  if (metric.startsWith("evals.")) return `eval ${metric.slice(6)}`;
  if (metric.startsWith("tags.")) return `tag ${metric.slice(5)} mix`;
  const labels: Partial<Record<string, string>> = {
    thumbs_down_rate: "thumbs-down rate",
    refusal_rate: "refusal rate",
    latency_ms: "latency",
    ttft_ms: "time to first token",
    output_chars: "output length",
    output_tokens: "output tokens",
    retrieval_top_score: "retrieval top score",
    model_mix: "model mix",
    finish_reason_mix: "finish-reason mix",
    cost_per_request: "cost per request",
  };
  return labels[metric] ?? metric.replaceAll("_", " ");
}
