// The probe configuration accepted by /v1/probes: the request (URL, method, headers,
// body template), how to find the answer, the assertions, the schedule and timeout,
// when to alert, and the deployment whose windows its runs feed. `template` fills the
// request from a ready-made shape (templates.ts). The URL's reachability rules live at
// the route (src/net/outbound-url.ts); everything else is checked here.

import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";
import { AssertionSchema } from "./assertion-schema";
import { ExtractorSchema } from "./extractor";
import { HeadersSchema, SecretHeadersPatchSchema } from "./headers";
import { TemplateSchema } from "./templates";

export const METHODS = ["GET", "POST", "PUT", "PATCH"] as const;
export const SEVERITIES = ["warning", "critical"] as const;
export const MAX_BODY_CHARS = 32_000;
/** A cron tick runs every minute; probes wait at most this long for an answer. */
export const MAX_TIMEOUT_MS = 30_000;

const BodySchema = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .refine(
    (b) => (typeof b === "string" ? b : JSON.stringify(b)).length <= MAX_BODY_CHARS,
    `at most ${MAX_BODY_CHARS} characters`,
  );

export const AlertPolicySchema = z
  .strictObject({
    /** Open an incident after this many failing runs in a row. */
    consecutive: z.number().int().min(1).max(100).default(2),
    /** Or after `failures` failing runs among the last `runs`. */
    failures: z.number().int().min(1).max(100).optional(),
    runs: z.number().int().min(1).max(100).optional(),
    severity: z.enum(SEVERITIES).default("critical"),
  })
  .refine((a) => (a.failures === undefined) === (a.runs === undefined), {
    message: "give failures and runs together",
    path: ["failures"],
  })
  .refine((a) => a.failures === undefined || a.runs === undefined || a.failures <= a.runs, {
    message: "failures must not exceed runs",
    path: ["failures"],
  });
export type AlertPolicy = z.infer<typeof AlertPolicySchema>;

const IntervalSchema = z.number().int().min(1).max(1_440);
const TimeoutSchema = z.number().int().min(1_000).max(MAX_TIMEOUT_MS);

const fields = {
  name: z.string().trim().min(1).max(128),
  deployment: SlugSchema,
  environment: SlugSchema.default("production"),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_048),
  method: z.enum(METHODS).default("POST"),
  headers: HeadersSchema.default({}),
  /** Values are stored and sent, and masked in every answer. */
  secret_headers: HeadersSchema.default({}),
  body: BodySchema.optional(),
  extractor: ExtractorSchema.optional(),
  assertions: z.array(AssertionSchema).max(32).default([]),
  interval_minutes: IntervalSchema.default(5),
  timeout_ms: TimeoutSchema.default(10_000),
  alert: AlertPolicySchema.default({ consecutive: 2, severity: "critical" }),
  enabled: z.boolean().default(true),
};

const ttftNeedsStream = (d: {
  extractor?: { type: string } | undefined;
  assertions: { type: string }[];
}) => !d.assertions.some((a) => a.type === "ttft") || d.extractor?.type === "sse";
const ttftIssue = {
  message: "a ttft budget needs a streaming (sse) extractor",
  path: ["assertions"],
};

export const CreateProbeSchema = z
  .strictObject({ ...fields, template: TemplateSchema.optional() })
  .refine((p) => p.template !== undefined || p.extractor !== undefined, {
    message: "give an extractor (json, raw or sse) or a template",
    path: ["extractor"],
  })
  .refine((p) => p.template === undefined || p.body === undefined, {
    message: "a template writes the body; give one or the other",
    path: ["body"],
  })
  .refine((p) => p.method !== "GET" || p.body === undefined, {
    message: "a GET request has no body",
    path: ["body"],
  });
export type CreateProbe = z.output<typeof CreateProbeSchema>;

export const UpdateProbeSchema = z.strictObject({
  name: fields.name.optional(),
  url: fields.url.optional(),
  method: z.enum(METHODS).optional(),
  headers: HeadersSchema.optional(),
  secret_headers: SecretHeadersPatchSchema.optional(),
  body: BodySchema.nullable().optional(),
  extractor: ExtractorSchema.optional(),
  assertions: z.array(AssertionSchema).max(32).optional(),
  // NOTE: not `fields.x.optional()`: zod 4 fills an optional field's inner default, so a
  // PATCH naming only the URL would reset the schedule and timeout to their defaults.
  interval_minutes: IntervalSchema.optional(),
  timeout_ms: TimeoutSchema.optional(),
  alert: AlertPolicySchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateProbe = z.output<typeof UpdateProbeSchema>;

/** What is stored (secret header values apart) and what the runner reads. */
export const ProbeDefinitionSchema = z
  .strictObject({
    name: fields.name,
    deployment: SlugSchema,
    environment: SlugSchema,
    url: z.string(),
    method: z.enum(METHODS),
    headers: z.record(z.string(), z.string()),
    body: BodySchema.nullable(),
    extractor: ExtractorSchema,
    assertions: z.array(AssertionSchema),
    interval_minutes: IntervalSchema,
    timeout_ms: TimeoutSchema,
    alert: AlertPolicySchema,
    enabled: z.boolean(),
  })
  .refine(ttftNeedsStream, ttftIssue)
  .refine((d) => d.method !== "GET" || d.body === null, {
    message: "a GET request has no body",
    path: ["body"],
  });
export type ProbeDefinition = z.output<typeof ProbeDefinitionSchema>;
