// Turning API input into a stored probe definition (templates expanded, headers split
// into plain and secret) and applying updates; pure, so the route only does I/O.
import { type Headers, splitHeaders } from "./headers";
import {
  type CreateProbe,
  type ProbeDefinition,
  ProbeDefinitionSchema,
  type UpdateProbe,
} from "./probe-schema";
import { expandTemplate } from "./templates";

export interface StoredProbe {
  definition: ProbeDefinition;
  secretHeaders: Headers;
}

/** Builds a definition; throws the ZodError of the combined result (e.g. ttft without sse). */
export function definitionFromCreate(input: CreateProbe): StoredProbe {
  const t = input.template ? expandTemplate(input.template) : null;
  const headers = splitHeaders(
    { ...(t?.headers ?? {}), ...input.headers },
    { ...(t?.secretHeaders ?? {}), ...input.secret_headers },
  );
  const definition = ProbeDefinitionSchema.parse({
    name: input.name,
    deployment: input.deployment,
    environment: input.environment,
    url: input.url,
    method: t?.method ?? input.method,
    headers: headers.plain,
    body: t?.body ?? input.body ?? null,
    extractor: input.extractor ?? t?.extractor,
    assertions: input.assertions,
    interval_minutes: input.interval_minutes,
    timeout_ms: input.timeout_ms,
    alert: input.alert,
    enabled: input.enabled,
  });
  return { definition, secretHeaders: headers.secret };
}

export function applyUpdate(before: StoredProbe, patch: UpdateProbe): StoredProbe {
  const secret: Headers = { ...before.secretHeaders };
  for (const [k, v] of Object.entries(patch.secret_headers ?? {})) {
    if (v === null) delete secret[k.toLowerCase()];
    else secret[k.toLowerCase()] = v;
  }
  const headers = splitHeaders(patch.headers ?? before.definition.headers, secret);
  const { secret_headers: _, ...rest } = patch;
  const merged = Object.fromEntries(
    Object.entries({ ...before.definition, ...rest }).filter(([, v]) => v !== undefined),
  );
  const definition = ProbeDefinitionSchema.parse({
    ...merged,
    headers: headers.plain,
    body: patch.body === undefined ? before.definition.body : patch.body,
  });
  return { definition, secretHeaders: headers.secret };
}

/** The request body with its placeholders filled: {{run_id}}, {{now_ms}}, {{now_iso}}. */
export function renderBody(
  body: ProbeDefinition["body"],
  vars: { runId: string; now: number },
): string | null {
  if (body === null) return null;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const values: Record<string, string> = {
    run_id: vars.runId,
    now_ms: String(vars.now),
    now_iso: new Date(vars.now).toISOString(),
  };
  // Values hold no quotes or backslashes, so they are safe inside JSON strings too.
  return text.replace(/\{\{\s*(run_id|now_ms|now_iso)\s*\}\}/g, (_, k: string) => values[k] ?? "");
}
