// Turning API input into a stored probe definition (templates expanded, headers split
// into plain and secret) and applying updates; pure, so the route only does I/O.
import { maskSecret } from "../alerts/delivery/delivery-policy";
import { type Headers, splitHeaders } from "./headers";
import {
  type CreateProbe,
  type ProbeDefinition,
  ProbeDefinitionSchema,
  type UpdateProbe,
} from "./probe-schema";
import { expandTemplate } from "./templates";
import { maskUrl, originOf } from "./url-secrets";

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

/**
 * Applies a PATCH: only the fields it names change. Headers it gives replace the plain
 * ones; a secret among them (headers.ts) replaces the stored secret of that name;
 * `secret_headers` entries set (string) or remove (null) one secret each.
 */
export function applyUpdate(before: StoredProbe, input: UpdateProbe): StoredProbe {
  const patch = withoutEchoedMasks(before, input);
  const given = patch.headers ? splitHeaders(patch.headers, {}) : null;
  const secret: Headers = { ...before.secretHeaders, ...given?.secret };
  for (const [k, v] of Object.entries(patch.secret_headers ?? {})) {
    if (v === null) delete secret[k.toLowerCase()];
    else secret[k.toLowerCase()] = v;
  }
  const headers = splitHeaders(given ? given.plain : before.definition.headers, secret);
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

/**
 * The stored secret headers a PATCH must give again (set or remove) before it may move the
 * probe to another origin (scheme, host and port): otherwise any admin key could point the
 * probe at a server of its own and read the secrets that every answer shows masked.
 */
export function secretsToRenew(before: StoredProbe, input: UpdateProbe): string[] {
  // A masked value sent back renews nothing: it is what every answer shows.
  const patch = withoutEchoedMasks(before, input);
  if (patch.url === undefined || originOf(patch.url) === originOf(before.definition.url)) return [];
  const renewed = new Set(
    [...Object.keys(patch.secret_headers ?? {}), ...Object.keys(patch.headers ?? {})].map((k) =>
      k.toLowerCase(),
    ),
  );
  return Object.keys(before.secretHeaders)
    .filter((k) => !renewed.has(k))
    .sort();
}

/**
 * The PATCH without the masked values an answer showed (a client that sends back the probe
 * it read): a masked URL or secret header keeps the stored one instead of replacing it
 * with its mask.
 */
export function withoutEchoedMasks(before: StoredProbe, patch: UpdateProbe): UpdateProbe {
  const echoes = (name: string, value: string | null) => {
    const stored = before.secretHeaders[name.toLowerCase()];
    return value !== null && stored !== undefined && value === maskSecret(stored);
  };
  const keep = <V extends string | null>(h: Record<string, V> | undefined) =>
    h && Object.fromEntries(Object.entries(h).filter(([k, v]) => !echoes(k, v)));
  const { url, headers, secret_headers, ...rest } = patch;
  return {
    ...rest,
    ...(url === undefined || url === maskUrl(before.definition.url) ? {} : { url }),
    ...(headers === undefined ? {} : { headers: keep(headers) }),
    ...(secret_headers === undefined ? {} : { secret_headers: keep(secret_headers) }),
  };
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
