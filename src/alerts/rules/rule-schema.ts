// Zod schemas and types for alert rules: the stored Rule, the API's CreateRule (id assigned
// by the server, defaults filled) and UpdateRule (a partial patch, re-checked once merged).

import { SlugSchema } from "../../ingest/event-schema";
import { z } from "../../zod";
import { DEFAULT_REPEAT_INTERVAL_MINUTES, MAX_REPEAT_INTERVAL_MINUTES } from "./repeat-interval";
import {
  FIXED_METRICS,
  type Metric,
  metricKind,
  PARAM_TESTS,
  type RuleParam,
  TESTS,
  TESTS_BY_KIND,
  type TestName,
} from "./rule-metrics";

const NAME_LIMIT = 64;

function isMetric(value: unknown): value is Metric {
  if (typeof value !== "string") return false;
  if ((FIXED_METRICS as readonly string[]).includes(value)) return true;
  const [prefix, ...rest] = value.split(".");
  const name = rest.join(".");
  return (prefix === "evals" || prefix === "tags") && name.length > 0 && name.length <= NAME_LIMIT;
}

const METRIC_HELP = `one of ${FIXED_METRICS.join(", ")}, evals.<name> or tags.<key>`;

// `type` tells the OpenAPI generator what a custom check accepts on the wire.
export const MetricSchema = z
  .custom<Metric>(isMetric, { message: `unknown metric: expected ${METRIC_HELP}` })
  .meta({ type: "string", description: `The metric the rule watches: ${METRIC_HELP}` });

export const GLOB = /^[a-z0-9*?][a-z0-9\-_.*?]{0,63}$/;
/** Wildcards per slug glob: plenty for real selectors ("*-bot-*"), a bound on matching work. */
export const GLOB_MAX_STARS = 4;

/** Which deployments a rule applies to; empty means all of the project's deployments. */
export const SelectorSchema = z.strictObject({
  environment: SlugSchema.optional(),
  slug_glob: z
    .string()
    .regex(GLOB, "must be a deployment slug pattern: [a-z0-9-_.] plus * and ?, e.g. support-*")
    .refine((glob) => glob.split("*").length - 1 <= GLOB_MAX_STARS, {
      message: `must have at most ${GLOB_MAX_STARS} * wildcards`,
    })
    .optional(),
});
export type Selector = z.infer<typeof SelectorSchema>;

export const RuleIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9:_.-]{0,127}$/, "must be 1-128 of [A-Za-z0-9:_.-]");

export const SEVERITIES = ["warning", "critical"] as const;
export const NO_DATA = ["ignore", "keep", "alert"] as const;
export const QUANTILES = ["p50", "p95", "p99"] as const;
export const DIRECTIONS = ["up", "down", "both"] as const;
export type Quantile = (typeof QUANTILES)[number];
export type Direction = (typeof DIRECTIONS)[number];

// Every field without a default: the shape of an update patch (and of a rule in responses).
export const ruleFields = {
  name: z.string().trim().min(1).max(200),
  metric: MetricSchema,
  test: z.enum(TESTS),
  /**
   * What the test's statistic is compared with: z for z_test; the current/baseline ratio for
   * quantile_ratio and ratio (> 1; "down" alerts at 1/threshold); the PSI floor for psi; KS D
   * for ks; W1 / baseline std for wasserstein; the JS distance for chi_squared; the drop
   * fraction for traffic_drop; the metric's own value for static; for cusum, the mean days
   * between false alarms per deployment that its thresholds are derived from.
   */
  threshold: z.number().finite(),
  /** z_test: minimum absolute change of the rate, in proportion units (0.02 = 2 points). */
  min_effect: z.number().finite().min(0).max(1).optional(),
  /**
   * Significance level: the test's p-value (or null quantile) must be below it. ks and psi
   * without it hold 1e-5 (DISTRIBUTION_ALPHA); z_test, chi_squared and traffic_drop without
   * it use their other conditions alone.
   */
  alpha: z.number().gt(0).lt(1).optional(),
  quantile: z.enum(QUANTILES).optional(),
  /** Which change alerts: "up" (default: the value rose), "down" or "both". */
  direction: z.enum(DIRECTIONS).optional(),
  /** psi: number of bins cut at the baseline's quantiles (default 10). */
  bins: z.number().int().min(2).max(50).optional(),
  min_samples: z.number().int().min(1).max(1e9),
  for_minutes: z.number().int().min(0).max(1440),
  /** 1-minute buckets cover the last 2 hours, so a window is at most 120 minutes. */
  window_minutes: z.number().int().min(1).max(120),
  severity: z.enum(SEVERITIES),
  channels: z.array(z.string().min(1).max(64)).max(20),
  selector: SelectorSchema,
  no_data: z.enum(NO_DATA),
  /** Minutes between reminders while the incident fires (Alertmanager's repeat_interval). */
  repeat_interval_minutes: z.number().int().min(1).max(MAX_REPEAT_INTERVAL_MINUTES),
  /** Whether the incident clearing sends a resolved notification (Alertmanager's send_resolved). */
  send_resolved: z.boolean(),
  enabled: z.boolean(),
};

const fields = ruleFields;
const withDefaults = {
  ...fields,
  min_samples: fields.min_samples.default(50),
  for_minutes: fields.for_minutes.default(5),
  window_minutes: fields.window_minutes.default(15),
  severity: fields.severity.default("warning"),
  channels: fields.channels.default([]),
  selector: SelectorSchema.default({}),
  no_data: fields.no_data.default("ignore"),
  repeat_interval_minutes: fields.repeat_interval_minutes.default(DEFAULT_REPEAT_INTERVAL_MINUTES),
  send_resolved: fields.send_resolved.default(true),
  enabled: fields.enabled.default(true),
};

type RuleCore = {
  metric: Metric;
  test: TestName;
  threshold: number;
  alpha?: number | undefined;
} & Partial<Record<RuleParam, unknown>>;

function thresholdProblem(test: TestName, t: number): string | null {
  switch (test) {
    case "z_test":
    case "psi":
    case "wasserstein":
      return t > 0 ? null : `must be > 0 for ${test}`;
    case "quantile_ratio":
    case "ratio":
      return t > 1
        ? null
        : `must be a ratio > 1 for ${test} (direction "down" alerts at 1/threshold)`;
    case "ks":
    case "chi_squared":
      return t >= 0 && t <= 1 ? null : `must be a distance in [0, 1] for ${test}`;
    case "traffic_drop":
      return t > 0 && t <= 1 ? null : "must be a drop fraction in (0, 1] (0.8 = 80 %)";
    case "static":
      return null;
    case "cusum":
      return t > 0 ? null : "must be the days between false alarms per deployment (> 0) for cusum";
  }
}

/** Cross-field checks: metric/test compatibility, parameters the test reads, threshold range. */
function checkRule(rule: RuleCore, ctx: z.RefinementCtx): void {
  const kind = metricKind(rule.metric);
  const allowed = TESTS_BY_KIND[kind];
  if (!allowed.includes(rule.test)) {
    ctx.addIssue({
      code: "custom",
      path: ["test"],
      message: `test "${rule.test}" does not apply to ${kind} metric "${rule.metric}"; use one of ${allowed.join(", ")}`,
    });
    return;
  }
  for (const [param, tests] of Object.entries(PARAM_TESTS)) {
    const key = param as RuleParam;
    if (rule[key] !== undefined && !(tests as readonly TestName[]).includes(rule.test)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `${key} is not used by test "${rule.test}" (only by ${tests.join(", ")})`,
      });
    }
  }
  if (rule.test === "static" && rule.direction === "both") {
    ctx.addIssue({
      code: "custom",
      path: ["direction"],
      message:
        'a static threshold is crossed "up" (value ≥ threshold) or "down" (value ≤ threshold)',
    });
  }
  const problem = thresholdProblem(rule.test, rule.threshold);
  if (problem) ctx.addIssue({ code: "custom", path: ["threshold"], message: problem });
  // ks and psi without alpha hold the default significance (distribution-alpha.ts).
  if (rule.test === "chi_squared" && rule.threshold === 0 && rule.alpha === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["alpha"],
      message: "chi_squared with threshold 0 needs alpha, or every window would breach",
    });
  }
}

/** A complete rule as stored and evaluated. */
export const RuleSchema = z
  .strictObject({ id: RuleIdSchema, ...withDefaults })
  .superRefine(checkRule);
export type Rule = z.output<typeof RuleSchema>;

/** POST /v1/rules body: the server assigns the id; omitted fields take their defaults. */
export const CreateRuleSchema = z.strictObject(withDefaults).superRefine(checkRule);
export type CreateRule = z.input<typeof CreateRuleSchema>;

const clearable = {
  min_effect: fields.min_effect.nullable(),
  alpha: fields.alpha.nullable(),
  quantile: fields.quantile.nullable(),
  direction: fields.direction.nullable(),
  bins: fields.bins.nullable(),
};

/**
 * PATCH body: any subset of the fields, no defaults; null clears an optional parameter.
 * Check the merged rule with mergeRuleUpdate.
 */
export const UpdateRuleSchema = z
  .strictObject({ ...fields, ...clearable })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "an update needs at least one field");
export type UpdateRule = z.output<typeof UpdateRuleSchema>;

/** Applies a validated patch and re-checks the whole rule (e.g. a new test against the metric). */
export function mergeRuleUpdate(rule: Rule, patch: UpdateRule) {
  const merged: Record<string, unknown> = { ...rule };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return RuleSchema.safeParse({ ...merged, id: rule.id });
}
