// The rule settings forms' fields as the API's JSON bodies (pure): numbers typed as text,
// empty optional parameters left out (create) or cleared with null (edit), channel
// checkboxes to `channels`, environment and slug pattern to `selector`. The API's own
// schemas then check the result, so both refuse the same values; an issue's path maps back
// to the field it is shown beside.
import type { Rule } from "../../alerts/rules/rule-schema";

export type FormFields = Record<string, string>;

/** Optional test parameters: left out when empty on create, cleared (null) on edit. */
const OPTIONAL_NUMBERS = ["min_effect", "alpha", "bins"] as const;
const OPTIONAL_CHOICES = ["quantile", "direction"] as const;
const REQUIRED_NUMBERS = [
  "threshold",
  "min_samples",
  "for_minutes",
  "window_minutes",
  "repeat_interval_minutes",
] as const;

/** A number typed as text: undefined when empty, NaN when not a number (zod refuses it). */
export function numberField(value: string | undefined): number | undefined {
  const text = (value ?? "").trim();
  return text === "" ? undefined : Number(text);
}

function common(form: FormFields, channelIds: readonly string[]) {
  const environment = (form.environment ?? "").trim();
  const glob = (form.slug_glob ?? "").trim();
  const out: Record<string, unknown> = {
    name: form.name ?? "",
    metric: (form.metric ?? "").trim(),
    test: form.test ?? "",
    severity: form.severity ?? "",
    no_data: form.no_data ?? "",
    channels: channelIds.filter((id) => form[`channel_${id}`] === "on"),
    selector: {
      ...(environment ? { environment } : {}),
      ...(glob ? { slug_glob: glob } : {}),
    },
    send_resolved: form.send_resolved === "on",
    enabled: form.enabled === "on",
  };
  for (const key of REQUIRED_NUMBERS) out[key] = numberField(form[key]) ?? Number.NaN;
  return out;
}

/** The create form as the body of POST /v1/rules. */
export function createRuleBody(
  form: FormFields,
  channelIds: readonly string[],
): Record<string, unknown> {
  const out = common(form, channelIds);
  for (const key of OPTIONAL_NUMBERS) {
    const n = numberField(form[key]);
    if (n !== undefined) out[key] = n;
  }
  for (const key of OPTIONAL_CHOICES) if (form[key]) out[key] = form[key];
  return out;
}

/** The edit form as the body of PATCH /v1/rules/:id: every field, empty parameters cleared. */
export function ruleUpdateBody(
  form: FormFields,
  channelIds: readonly string[],
): Record<string, unknown> {
  const out = common(form, channelIds);
  for (const key of OPTIONAL_NUMBERS) out[key] = numberField(form[key]) ?? null;
  for (const key of OPTIONAL_CHOICES) out[key] = form[key] ? form[key] : null;
  return out;
}

/** The field an issue is shown beside: `selector.slug_glob` → slug_glob, `channels.2` → channels. */
export function fieldOfPath(path: readonly PropertyKey[]): string {
  const [first, second] = path;
  if (first === "selector" && typeof second === "string") return second;
  return typeof first === "string" ? first : "_";
}

/** A rule as the form's text values. */
export function ruleFormValues(rule: Rule): FormFields {
  const out: FormFields = {
    name: rule.name,
    metric: rule.metric,
    test: rule.test,
    severity: rule.severity,
    no_data: rule.no_data,
    environment: rule.selector.environment ?? "",
    slug_glob: rule.selector.slug_glob ?? "",
  };
  for (const key of [...REQUIRED_NUMBERS, ...OPTIONAL_NUMBERS]) {
    const v = rule[key];
    out[key] = v === undefined ? "" : String(v);
  }
  for (const key of OPTIONAL_CHOICES) out[key] = rule[key] ?? "";
  for (const id of rule.channels) out[`channel_${id}`] = "on";
  if (rule.send_resolved) out.send_resolved = "on";
  if (rule.enabled) out.enabled = "on";
  return out;
}
