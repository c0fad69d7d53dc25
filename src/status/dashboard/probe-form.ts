// The probe settings form as the /v1/probes request body (pure): plain fields as typed,
// numbers as numbers, the alert policy from its four fields (`alert_consecutive`,
// `alert_failures`, `alert_runs`, `alert_severity`), and the structured parts (headers,
// secret headers, extractor, assertions, a JSON body) as JSON text. CreateProbeSchema / UpdateProbeSchema then check
// it like an API request; an issue's path maps back to the field it came from.
import type { ProbeRow } from "../../http/probe-schema";
import { toProbe } from "../../http/probe-schema";

export type FormFields = Record<string, string>;

/** The form fields written as JSON text. */
const JSON_FIELDS = ["headers", "secret_headers", "extractor", "assertions"] as const;

type Parsed = { body: Record<string, unknown>; errors: Record<string, string> };

const numberOf = (text: string | undefined) => {
  const t = (text ?? "").trim();
  return t === "" ? undefined : Number(t);
};

/** A request body: JSON when it reads as an object or array, else the text as typed. */
function requestBody(text: string): unknown {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return text;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** The alert policy's fields, each named `alert_<key>` in the form. */
const ALERT_FIELDS = ["consecutive", "failures", "runs", "severity"] as const;

/** The policy as typed: empty numbers left out (the schema's default, or none). */
function alertPolicy(form: FormFields): Record<string, unknown> {
  const policy: Record<string, unknown> = {
    consecutive: numberOf(form.alert_consecutive),
    failures: numberOf(form.alert_failures),
    runs: numberOf(form.alert_runs),
    severity: (form.alert_severity ?? "").trim() || undefined,
  };
  for (const k of Object.keys(policy)) if (policy[k] === undefined) delete policy[k];
  return policy;
}

function common(form: FormFields): Parsed {
  const errors: Record<string, string> = {};
  const body: Record<string, unknown> = {
    name: form.name ?? "",
    url: (form.url ?? "").trim(),
    method: form.method ?? "POST",
    interval_minutes: numberOf(form.interval_minutes),
    timeout_ms: numberOf(form.timeout_ms),
    // A post without the policy's fields (an older page) keeps the stored policy.
    alert: ALERT_FIELDS.some((k) => `alert_${k}` in form) ? alertPolicy(form) : undefined,
  };
  for (const name of JSON_FIELDS) {
    const text = (form[name] ?? "").trim();
    if (text === "") continue;
    try {
      body[name] = JSON.parse(text);
    } catch {
      errors[name] = "not valid JSON";
    }
  }
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return { body, errors };
}

/** A new probe's body (CreateProbeSchema's input) and the JSON fields that did not parse. */
export function probeCreateBody(form: FormFields): Parsed {
  const { body, errors } = common(form);
  const text = form.body ?? "";
  return {
    body: {
      ...body,
      environment: (form.environment ?? "").trim() || "production",
      deployment: (form.deployment ?? "").trim(),
      ...(text.trim() === "" ? {} : { body: requestBody(text) }),
      enabled: form.enabled === "on",
    },
    errors,
  };
}

/**
 * A change's body (UpdateProbeSchema's input). Every field is sent, so the probe becomes
 * what the form shows; a masked URL or secret sent back keeps the stored one (the API's
 * rule). An empty body removes it.
 */
export function probeUpdateBody(form: FormFields): Parsed {
  const { body, errors } = common(form);
  const text = form.body ?? "";
  return {
    body: {
      headers: {},
      assertions: [],
      ...body,
      body: text.trim() === "" ? null : requestBody(text),
      enabled: form.enabled === "on",
    },
    errors,
  };
}

/**
 * The field an issue is shown beside: `assertions.0.max_ms` → `assertions`,
 * `alert.failures` → `alert_failures` (the policy as a whole: `alert_consecutive`).
 */
export function probeFieldOf(path: readonly PropertyKey[] | string): string {
  const [first, second] = typeof path === "string" ? path.split(".") : path;
  if (first === "template" || first === "") return "_";
  if (first === "alert") {
    const key = ALERT_FIELDS.find((k) => k === second) ?? "consecutive";
    return `alert_${key}`;
  }
  return typeof first === "string" && first !== "" ? first : "_";
}

const pretty = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v, null, 1));

/** A stored probe as the edit form's values (secrets masked, as the API answers them). */
export function probeValues(row: ProbeRow): FormFields {
  const p = toProbe(row);
  const out: FormFields = {
    name: p.name,
    url: p.url,
    method: p.method,
    headers: pretty(p.headers),
    secret_headers: "",
    body: p.body === null ? "" : typeof p.body === "string" ? p.body : pretty(p.body),
    extractor: pretty(p.extractor),
    assertions: pretty(p.assertions),
    interval_minutes: String(p.interval_minutes),
    timeout_ms: String(p.timeout_ms),
    alert_consecutive: String(p.alert.consecutive),
    alert_failures: p.alert.failures === undefined ? "" : String(p.alert.failures),
    alert_runs: p.alert.runs === undefined ? "" : String(p.alert.runs),
    alert_severity: p.alert.severity,
    version: String(row.updatedAt),
  };
  if (p.enabled) out.enabled = "on";
  return out;
}
