// The default rule set every deployment gets (docs/detection.md), with stable ids
// ("default:error_rate") so a project can override one by saving a rule with the same id.
import { type Metric, metricLabel } from "./rule-metrics";
import { type Rule, RuleSchema } from "./rule-schema";

/** "Output length" for output_chars: names people read, never raw metric keys. */
const title = (metric: Metric) => {
  const label = metricLabel(metric);
  return label.charAt(0).toUpperCase() + label.slice(1);
};

type Spec = Pick<Rule, "id" | "name" | "metric" | "test" | "threshold"> & Partial<Rule>;

/** The schema fills what a spec leaves out (min_samples 50, for 5, window 15, …) and checks it. */
const rule = (spec: Spec): Rule => RuleSchema.parse(spec);

// The significance levels below are set for the measured target (bench/detection, results in
// bench/results/detection.md): at most one false alarm per deployment-month with every default
// rule checked every minute. A month is 43,200 checks, but 15-minute windows overlap, so each
// metric sees about 2,900 independent windows, and a sliding-window statistic re-enters a tail
// several times more often than one independent window lands in it. Nineteen rules then leave
// each of them roughly 1e-5 per window, which the `for` durations cut further.

/**
 * PSI: alert only when PSI exceeds both the effect floor (0.1 / 0.25) and its no-drift
 * quantile psiCalibratedQuantile(k, n, m, PSI_ALPHA), simulated up to 1,000 current values
 * (src/drift/psi-null-table.ts): at 100 values an empty bin alone adds ~0.69, so the quantile
 * is 0.87 against a 7-day baseline and 1.6 against 100 baseline values. From ~1,500 values up
 * the floor binds and the quantile costs nothing.
 */
export const PSI_ALPHA = 1e-5;

/**
 * Rates also need an exact Poisson tail p < RATE_ALPHA. At 10 interactions/min a 15-minute
 * window expects 1.5 errors at a 1 % rate, where z >= 3 alone means 6 errors: 0.45 % likely,
 * not the 0.13 % the normal curve promises (the first thresholds, z >= 3 and 2 points,
 * measured ~100 false alarms a month at 10/min across the rate rules). 3e-5 measured none,
 * while a thumbs-down rate doubling on 100 thumbs/min still fires in about 13 minutes.
 */
export const RATE_ALPHA = 3e-5;

/**
 * Mixes: chi-squared (categories expected < 5 times pooled) and an exact per-category test
 * (src/drift/category-exact-test) both p < MIX_ALPHA, and JS >= 0.1. At the first level,
 * p < 0.001, a 90/10 model split seen through 150 requests broke both bounds about 18 times
 * a month with `for` 0. A new model is a new category with p ~ 0 from its first few
 * requests, so the stricter level costs a swap no time.
 */
export const MIX_ALPHA = 1e-6;

const RATES: ReadonlyArray<[Metric, string]> = [
  ["error_rate", "Error rate rose"],
  ["timeout_rate", "Timeout rate rose"],
  ["refusal_rate", "Refusal rate rose"],
  ["filtered_rate", "Filtered rate rose"],
  ["unanswered_rate", "Unanswered rate rose"],
  ["escalation_rate", "Escalation rate rose"],
  ["thumbs_down_rate", "Thumbs-down rate rose"],
];

const rateRules = RATES.map(([metric, name]) =>
  rule({
    id: `default:${metric}`,
    name,
    metric,
    test: "z_test",
    threshold: 3,
    min_effect: 0.02,
    alpha: RATE_ALPHA,
    direction: "up",
    severity: metric === "error_rate" ? "critical" : "warning",
  }),
);

const latencyRules = (["latency_ms", "ttft_ms"] as const).map((metric) =>
  rule({
    id: `default:${metric}_p95`,
    name: metric === "latency_ms" ? "Latency p95 rose" : "Time to first token p95 rose",
    metric,
    test: "quantile_ratio",
    quantile: "p95",
    direction: "up",
    threshold: 1.5,
  }),
);

const psiRules = (["output_chars", "output_tokens", "retrieval_top_score"] as const).flatMap(
  (metric) =>
    (["warning", "critical"] as const).map((severity) =>
      rule({
        id: severity === "warning" ? `default:${metric}` : `default:${metric}:critical`,
        name: `${title(metric)} distribution shifted${severity === "critical" ? " (large)" : ""}`,
        metric,
        test: "psi",
        threshold: severity === "warning" ? 0.1 : 0.25,
        alpha: PSI_ALPHA,
        bins: 10,
        min_samples: 100,
        severity,
      }),
    ),
);

const mixRules = [
  rule({
    id: "default:model_mix",
    name: "Model mix changed",
    metric: "model_mix",
    test: "chi_squared",
    threshold: 0.1,
    alpha: MIX_ALPHA,
    // A model swap is a discrete event, not noise: fire on the first window that shows it.
    for_minutes: 0,
  }),
  rule({
    id: "default:finish_reason_mix",
    name: "Finish-reason mix changed",
    metric: "finish_reason_mix",
    test: "chi_squared",
    threshold: 0.1,
    alpha: MIX_ALPHA,
  }),
];

/**
 * Sequential detection beside the window tests (src/alerts/evaluation/sequential.ts): CUSUM banks on each
 * minute's counts, alarming as soon as the evidence allows. `threshold` is the false-alarm
 * budget, one per SEQUENTIAL_DAYS per deployment, split across these rules; the CUSUM already
 * waits for evidence, so no `for`.
 */
export const SEQUENTIAL_DAYS = 30;

const sequentialRules = [
  ...RATES.map(([metric, name]) => ({ metric, name, direction: "up" as const })),
  ...(["latency_ms", "ttft_ms", "output_chars", "output_tokens"] as const).map((metric) => ({
    metric,
    name: `${title(metric)} rose`,
    direction: "up" as const,
  })),
  {
    metric: "retrieval_top_score" as const,
    name: "Retrieval top score fell",
    direction: "down" as const,
  },
].map(({ metric, name, direction }) =>
  rule({
    id: `default:${metric}:cusum`,
    name: `${name} (sequential)`,
    metric,
    test: "cusum",
    threshold: SEQUENTIAL_DAYS,
    direction,
    min_samples: 1,
    for_minutes: 0,
    severity: metric === "error_rate" ? "critical" : "warning",
  }),
);

const costRule = rule({
  id: "default:cost_per_request",
  name: "Cost per request rose",
  metric: "cost_per_request",
  test: "ratio",
  threshold: 1.5,
  direction: "up",
});

// A 5-minute window held for 5 minutes: zero traffic fires after 10 minutes without data.
const trafficRule = rule({
  id: "default:traffic",
  name: "Traffic dropped",
  metric: "traffic",
  test: "traffic_drop",
  threshold: 0.8,
  alpha: 1e-6,
  min_samples: 20,
  window_minutes: 5,
  for_minutes: 5,
  severity: "critical",
});

export const DEFAULT_RULES: readonly Rule[] = [
  ...rateRules,
  ...latencyRules,
  ...psiRules,
  ...mixRules,
  ...sequentialRules,
  costRule,
  trafficRule,
];
