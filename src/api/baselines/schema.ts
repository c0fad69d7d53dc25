// /v1/deployments/:env/:slug/baselines and /checks: request and response schemas.
import { RuleIdSchema } from "../../alerts/rules/rule-schema";
import { BASELINE_KINDS } from "../../db/schema";
import { DeploymentParams, IdSchema, ProjectQuery } from "../../http/shared-params";
import { HOUR_RETENTION_MS } from "../../monitor/retention-horizons";
import { z } from "../../zod";

const label = z.string().min(1).max(128);
const ReleaseFilterSchema = z
  .strictObject({
    model: label.optional(),
    provider: label.optional(),
    prompt_version: label.optional(),
    release: label.optional(),
  })
  .refine(
    (r) => Object.keys(r).length > 0,
    "name at least one of model, provider, prompt_version, release",
  );

/** POST body: a time range `{from, to}` (epoch ms) or a `release`, not both. */
export const CaptureSchema = z
  .strictObject({
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    release: ReleaseFilterSchema.optional(),
    label: z.string().trim().min(1).max(128).optional(),
    activate: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    if (b.release) {
      if (b.from !== undefined || b.to !== undefined)
        issue("release", "give either a range (from, to) or a release, not both");
      return;
    }
    if (b.from === undefined) return issue("from", "required (epoch ms), or give a release");
    if (b.to === undefined) return issue("to", "required (epoch ms)");
    if (b.to <= b.from) issue("to", "must be after from");
    if (b.from < Date.now() - HOUR_RETENTION_MS)
      issue("from", "must be within the last 35 days (older buckets are not kept)");
  });
export type CaptureRequest = z.output<typeof CaptureSchema>;
export type ReleaseFilter = z.output<typeof ReleaseFilterSchema>;

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
