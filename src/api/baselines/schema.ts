// /v1/deployments/:env/:slug/baselines and /checks: request and response schemas.
import { RuleIdSchema } from "../../alerts/rules/rule-schema";
import { BASELINE_KINDS } from "../../db/schema";
import { DeploymentParams, IdSchema, ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";

export type { CaptureRequest, ReleaseFilter } from "../../alerts/baselines/capture-schema";
export { CaptureSchema } from "../../alerts/baselines/capture-schema";

export const BaselineParams = DeploymentParams.extend({
  baselineId: IdSchema.meta({ description: "Baseline id" }),
});

export const ChecksQuery = ProjectQuery.extend({
  rule: RuleIdSchema.optional().meta({
    description: "A rule id such as default:error_rate (404 names the ids that apply)",
  }),
  since: z.coerce.number().int().min(0).optional().meta({
    description: "Epoch ms; default 24 hours ago",
  }),
  limit: z.coerce.number().int().min(1).max(1440).default(1440),
});

/** Everything but the encoded bucket, which only the evaluator reads. */
export const BaselineSchema = z
  .object({
    id: z.string(),
    kind: z.enum(BASELINE_KINDS),
    label: z.string(),
    from: z.number().int().meta({ description: "Epoch ms: the merged buckets' start" }),
    to: z.number().int().meta({ description: "Epoch ms, exclusive: the span they cover" }),
    release: z.record(z.string(), z.string()).nullable().meta({
      description: "The release filter of a `release` baseline",
    }),
    count: z.number().int().meta({ description: "Interactions in the baseline" }),
    active: z.boolean().meta({ description: "Drift is measured against the active baseline" }),
    created_at: z.number().int(),
  })
  .meta({ id: "Baseline" });

export const CheckSchema = z
  .object({
    minute: z.number().int().meta({ description: "Epoch ms of the evaluated minute" }),
    rule_id: z.string(),
    outcome: z.string().meta({ description: "ok, breach, insufficient_data or no_data" }),
    value: z.number().nullable().meta({ description: "The window's value of the metric" }),
    baseline_value: z.number().nullable(),
    statistic: z.number().nullable().meta({ description: "The test's statistic" }),
    threshold: z.number().nullable(),
    message: z.string(),
  })
  .meta({ id: "Check", description: "One rule's evaluation of one minute" });

/** How ready the baseline is: a new deployment compares with its own first traffic. */
export const BaselineReadinessSchema = z
  .object({
    source: z.enum(["pinned", "release", "bootstrap", "rolling", "none"]).meta({
      description:
        "pinned; release: what ran before the latest release change; bootstrap: a new deployment's own first traffic; rolling: the trailing 7 days",
    }),
    events: z.number().int().min(0).meta({ description: "Interactions in the baseline" }),
    needed: z.number().int().min(0).meta({ description: "The rules' largest min_samples" }),
    ready: z.boolean(),
    events_to_go: z.number().int().min(0),
    ready_at: z.number().int().nullable().meta({
      description: "Epoch ms it should be ready at the current traffic; null: ready or unknown",
    }),
    message: z
      .string()
      .meta({ description: '"baseline ready after 500 more events or at 14:20 UTC"' }),
  })
  .meta({ id: "BaselineReadiness" });
