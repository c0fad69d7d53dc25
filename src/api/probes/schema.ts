// /v1/probes request parts and response schemas: a probe as the API shows it (secret header
// values masked) and its runs. The request bodies are src/probes/probe-schema.ts's.
import { PROBE_OUTCOMES } from "../../db/schema";
import { ProbeSchema } from "../../http/probe-schema";
import { IdSchema, ProjectQuery } from "../../http/shared-params";
import { z } from "../../zod";

export const ProbeParams = z.object({ id: IdSchema.meta({ description: "Probe id" }) });

export const RunsQuery = ProjectQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().meta({ description: "A previous page's next_cursor" }),
});

export const ProbeBody = z.object({ probe: ProbeSchema });

const AssertionResultSchema = z
  .object({
    type: z.string(),
    negate: z.boolean(),
    result: z.enum(["pass", "degraded", "fail", "skipped"]),
    expected: z.string().meta({ description: "What was expected, in words" }),
    observed: z.union([z.string(), z.number()]).nullable(),
    weight: z.number(),
  })
  .meta({ id: "ProbeAssertionResult" });

export const ProbeRunSchema = z
  .object({
    id: z.string(),
    started_at: z.number().int(),
    outcome: z.enum(PROBE_OUTCOMES),
    http_status: z.number().int().nullable(),
    latency_ms: z.number().nullable(),
    ttft_ms: z.number().nullable(),
    score: z.number().nullable().meta({ description: "Weighted share of passed assertions, 0..1" }),
    error: z.string().nullable().meta({ description: "Why the run could not be judged" }),
    assertions: z.array(AssertionResultSchema),
    answer_excerpt: z
      .string()
      .nullable()
      .meta({ description: "The answer's start, secrets redacted" }),
  })
  .meta({ id: "ProbeRun" });

export { ProbeSchema };
