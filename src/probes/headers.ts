// Probe request headers: plain ones are shown as they are; secret ones (API keys) are
// stored apart and masked in every answer. Which header carries a credential cannot be
// told from its name (`Ocp-Apim-Subscription-Key`, `X-Goog-Api-Key`, `Private-Token`…),
// so every header is secret unless it is on a short list of headers known to be harmless,
// wherever it is given: a key must not leak because it was put in the wrong map.

import { maskSecret } from "../alerts/delivery/delivery-policy";
import { z } from "../zod";

// RFC 9110 token characters.
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
/** Headers the runtime sets itself, or that would change what the request means. */
const RESERVED = new Set(["host", "content-length", "transfer-encoding", "connection", "upgrade"]);
/** Headers that describe the request and never carry a credential: shown as given. */
export const HARMLESS_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-charset",
  "accept-encoding",
  "accept-language",
  "anthropic-beta",
  "anthropic-version",
  "cache-control",
  "content-language",
  "content-type",
  "openai-beta",
  "pragma",
  "traceparent",
  "tracestate",
  "user-agent",
  "x-correlation-id",
  "x-request-id",
]);

export const isSecretHeader = (name: string) => !HARMLESS_HEADERS.has(name.toLowerCase());

const HeaderName = z
  .string()
  .regex(NAME, "must be an HTTP header name")
  .refine((n) => !RESERVED.has(n.toLowerCase()), "is set by the runtime and cannot be given");
const HeaderValue = z
  .string()
  .max(4_096)
  .refine((v) => !/[\r\n\0]/.test(v), "must not hold line breaks");

export const HeadersSchema = z
  .record(HeaderName, HeaderValue)
  .refine((h) => Object.keys(h).length <= 32, "at most 32 headers");
/** For updates: null removes a secret header, a string sets it, absent keeps it. */
export const SecretHeadersPatchSchema = z
  .record(HeaderName, HeaderValue.nullable())
  .refine((h) => Object.keys(h).length <= 32, "at most 32 headers");

export type Headers = Record<string, string>;

const lower = (h: Headers): Headers =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/** Splits headers into plain and secret, lower-casing names. */
export function splitHeaders(plain: Headers, secret: Headers): { plain: Headers; secret: Headers } {
  const out = { plain: {} as Headers, secret: lower(secret) };
  for (const [k, v] of Object.entries(lower(plain))) {
    if (isSecretHeader(k) || k in out.secret) out.secret[k] = out.secret[k] ?? v;
    else out.plain[k] = v;
  }
  return out;
}

/** Secret headers as an answer shows them: names kept, values masked. */
export function maskHeaders(secret: Headers): Headers {
  return Object.fromEntries(Object.entries(secret).map(([k, v]) => [k, maskSecret(v)]));
}

/**
 * Removes every secret value from a text (error messages, answer excerpts) before it is
 * stored: the secret headers' values and `more` (the URL's secrets, src/probes/url-secrets.ts).
 */
export function redactSecrets(text: string, secret: Headers, more: readonly string[] = []): string {
  let out = text;
  // Longest first: a secret that contains another is redacted whole.
  const values = [...Object.values(secret), ...more].sort((a, b) => b.length - a.length);
  for (const value of values) {
    // Also the bare token of "Bearer <token>": an echo may carry either.
    for (const v of [value, value.replace(/^\S+\s+/, "")]) {
      if (v.length >= 4) out = out.split(v).join("****");
    }
  }
  return out;
}
