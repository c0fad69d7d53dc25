// The key settings forms' fields as the API's JSON bodies: scope checkboxes to `scopes`,
// a UTC date to epoch ms, comma- or line-separated lists to arrays. Pure; the API's own
// schemas then check the result, so both refuse the same values.
import { KEY_SCOPES } from "../../db/schema";

export type FormFields = Record<string, string>;

/** Epoch ms of a `YYYY-MM-DD` (UTC midnight); undefined when empty, NaN when not a date. */
export function dateField(value: string | undefined): number | undefined {
  const text = (value ?? "").trim();
  if (text === "") return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
}

/** A list typed as commas or lines; undefined when nothing was typed. */
export function listField(value: string | undefined): string[] | undefined {
  const items = (value ?? "")
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return items.length > 0 ? items : undefined;
}

/** The create form as the body of POST /v1/projects/:id/keys. */
export function createKeyBody(form: FormFields): Record<string, unknown> {
  const expires = dateField(form.expires_at);
  const origins = listField(form.allowed_origins);
  const deployments = listField(form.allowed_deployments);
  return {
    name: form.name ?? "",
    scopes: KEY_SCOPES.filter((scope) => form[`scope_${scope}`] === "on"),
    ...(expires === undefined ? {} : { expires_at: expires }),
    ...(origins ? { allowed_origins: origins } : {}),
    ...(deployments ? { allowed_deployments: deployments } : {}),
  };
}

/** The rotate form as the body of POST /v1/projects/:id/keys/:keyId/rotate. */
export function rotateKeyBody(form: FormFields): Record<string, unknown> {
  const oldExpires = dateField(form.old_key_expires_at);
  return oldExpires === undefined ? {} : { old_key_expires_at: oldExpires };
}
