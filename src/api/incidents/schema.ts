// /v1/incidents request and response schemas: incidents (list and detail), their delivery
// log, and the silence body.
import { RuleIdSchema } from "../../alerts/rules/rule-schema";
import { DELIVERY_STATUSES } from "../../db/schema";
import { IdSchema, ProjectQuery } from "../../http/shared-params";
import { SlugSchema } from "../../ingest/event-schema";
import { z } from "../../zod";
import {
  AffectedSchema,
  EffectSizeSchema,
  IncidentExamplesSchema,
  SegmentSchema,
} from "./explain-schema";

/** Statuses the API shows; "inactive" rows only carry state between episodes. */
export const LISTED_STATUSES = ["pending", "firing", "resolved"] as const;

export const MAX_SILENCE_MINUTES = 7 * 24 * 60;

export const IncidentParams = z.object({ id: IdSchema.meta({ description: "Incident id" }) });

const StatusList = z
  .string()
  .transform((s) => s.split(",").map((part) => part.trim()))
  .pipe(z.array(z.enum(LISTED_STATUSES)).min(1));

export const ListIncidentsQuery = ProjectQuery.extend({
  status: StatusList.optional().meta({
    description: "Comma-separated statuses (pending, firing, resolved); default all three",
  }),
  deployment: SlugSchema.optional().meta({ description: "Deployment slug" }),
  environment: SlugSchema.optional(),
  rule: RuleIdSchema.optional().meta({ description: "Rule id, e.g. default:error_rate" }),
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: "Incidents that started at or after this time (epoch ms)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const SilenceSchema = z
  .strictObject({
    duration_minutes: z.number().int().min(1).max(MAX_SILENCE_MINUTES).optional(),
    until: z
      .number()
      .int()
      .optional()
      .meta({ description: "Epoch ms; in the future, at most 7 days ahead" }),
  })
  .superRefine((body, ctx) => {
    if ((body.duration_minutes === undefined) === (body.until === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["duration_minutes"],
        message: "give exactly one of duration_minutes (1..10080) or until (epoch ms)",
      });
    }
    const now = Date.now();
    if (
      body.until !== undefined &&
      (body.until <= now || body.until > now + MAX_SILENCE_MINUTES * 60_000)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["until"],
        message: "must be in the future and at most 7 days ahead (epoch ms)",
      });
    }
  })
  .meta({ description: "Give exactly one of duration_minutes or until" });

const epochMs = (description: string) => z.number().int().meta({ description });
const nullableMs = (description: string) => z.number().int().nullable().meta({ description });

export const IncidentSchema = z
  .object({
    id: z.string(),
    deployment: z.object({ environment: z.string(), slug: z.string() }).nullable().meta({
      description: "The deployment it belongs to; null for a budget's incident",
    }),
    budget: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: "The budget a budget alert belongs to (else null); never public" }),
    rule_id: z.string(),
    status: z.enum(LISTED_STATUSES),
    severity: z.string(),
    started_at: epochMs("First breach of the episode"),
    firing_at: nullableMs("When it started firing"),
    resolved_at: nullableMs("When it resolved"),
    acked_at: nullableMs("First acknowledgement of the episode"),
    silenced_until: nullableMs("Silence end; it expires by time"),
    silenced: z.boolean().meta({ description: "silenced_until is in the future" }),
    value: z.number().nullable().meta({ description: "The last check's value" }),
    message: z.string().nullable().meta({ description: "The last check's summary" }),
    updated_at: epochMs("Last change"),
    public: z.boolean().meta({ description: "Shown on the public status page" }),
  })
  .meta({ id: "Incident" });

export const IncidentStateSchema = z
  .object({
    fingerprint: z.string(),
    status: z.enum(["inactive", ...LISTED_STATUSES]),
    started_at: z.number().int().nullable(),
    firing_at: z.number().int().nullable(),
    resolved_at: z.number().int().nullable(),
    last_notified_at: z.number().int().nullable(),
    last_evaluated_minute: z.number().int(),
    acked_at: z.number().int().nullable(),
    silenced_until: z.number().int().nullable(),
    last_value: z.number().nullable(),
  })
  .meta({ id: "IncidentState", description: "The incident state machine's stored state" });

export const IncidentDetailSchema = IncidentSchema.extend({
  fingerprint: z.string(),
  last_check: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ description: "The check result that last drove it" }),
  state: IncidentStateSchema,
  effect: EffectSizeSchema.nullable().meta({ description: "The last check's effect size" }),
  affected: AffectedSchema.nullable().meta({ description: "The traffic the change reaches" }),
  segments: z.array(SegmentSchema).meta({
    description:
      "The segments that carry the change, largest share of the excess first (rate rules)",
  }),
  everywhere: z.boolean().nullable().meta({
    description: "True when no segment stands out; null when the last check was not attributed",
  }),
  examples: IncidentExamplesSchema.nullable().optional().meta({
    description:
      "GET /v1/incidents/{id} only: up to 10 example events of the rule's outcome from the top segment; null when the project does not keep examples (keep_examples) or the rule counts no outcome",
  }),
}).meta({ id: "IncidentDetail" });

export const IncidentBody = z.object({ incident: IncidentDetailSchema });

export const DeliverySchema = z
  .object({
    id: z.string(),
    channel_id: z.string(),
    incident_ids: z.array(z.string()),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.number().int(),
    updated_at: z.number().int(),
    payload: z.unknown().meta({ description: "The body as sent (parsed when it is JSON)" }),
  })
  .meta({ id: "Delivery" });
