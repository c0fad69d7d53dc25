// A probe as the API answers it and the audit log records it: the definition's fields with
// secret values masked (the URL's user, password and query values; secret header values).
// The /v1/probes routes and the probe operations (probe-actions.ts) share it.
import type { probesTable } from "../db/schema";
import type { StoredProbe } from "../probes/definition";
import { maskHeaders } from "../probes/headers";
import { ProbeDefinitionSchema } from "../probes/probe-schema";
import { maskUrl } from "../probes/url-secrets";
import { z } from "../zod";
import { fromRow } from "./openapi/from-row";

export type ProbeRow = typeof probesTable.$inferSelect;

const def = ProbeDefinitionSchema.shape;

export const ProbeSchema = z
  .object({
    id: z.string(),
    name: def.name,
    url: def.url,
    method: def.method,
    headers: def.headers,
    body: def.body,
    extractor: def.extractor,
    assertions: def.assertions,
    interval_minutes: def.interval_minutes,
    timeout_ms: def.timeout_ms,
    alert: def.alert,
    enabled: def.enabled,
    deployment: z.object({ environment: z.string(), slug: z.string() }),
    secret_headers: z
      .record(z.string(), z.string())
      .meta({ description: "Secret header names; values masked to their last 4 characters" }),
    next_run_at: z
      .number()
      .int()
      .meta({ description: "Earliest minute of the next run (epoch ms)" }),
    created_at: z.number().int(),
    updated_at: z.number().int(),
  })
  .meta({ id: "Probe" });

export const storedProbe = (row: ProbeRow): StoredProbe => ({
  definition: ProbeDefinitionSchema.parse(row.definition),
  secretHeaders: row.secretHeaders,
});

/** The probe as answered and audited: the definition's fields, secret values masked. */
export function toProbe(row: ProbeRow): z.output<typeof ProbeSchema> {
  const { definition, secretHeaders } = storedProbe(row);
  return fromRow(ProbeSchema, {
    ...row,
    ...definition,
    url: maskUrl(definition.url),
    deployment: { environment: definition.environment, slug: definition.deployment },
    secret_headers: maskHeaders(secretHeaders),
  });
}
