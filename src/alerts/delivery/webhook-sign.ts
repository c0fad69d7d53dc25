// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 via WebCrypto.

const SECRET_PREFIX = "whsec_";
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const encoder = new TextEncoder();

// A type alias, not an interface, so it is assignable to Record<string, string> (fetch headers).
export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export type VerifyFailure =
  | "missing_headers"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_matching_signature";

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

export interface VerifyOptions {
  /** Accepted clock skew either way; default 300 s as in the reference libraries. */
  tolerance_seconds?: number;
  /** Defaults to the current time. */
  now_seconds?: number;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The key bytes of a "whsec_<base64>" secret (the prefix is optional, as in the spec). */
export function decodeSecret(secret: string): Uint8Array {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = fromBase64(body);
  if (!key || key.length === 0) throw new RangeError("webhook secret must be whsec_<base64>");
  return key;
}

function importKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    decodeSecret(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function signedContent(id: string, timestamp: number | string, body: string): Uint8Array {
  return encoder.encode(`${id}.${timestamp}.${body}`);
}

/** "v1,<base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`>" */
export async function signature(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const key = await importKey(secret);
  const mac = await crypto.subtle.sign("HMAC", key, signedContent(id, timestampSeconds, body));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers to send with `body`. Retries keep the id but should re-sign a fresh time. */
export async function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<WebhookHeaders> {
  if (!Number.isSafeInteger(timestampSeconds)) {
    throw new RangeError(`webhook timestamp must be integer seconds, got ${timestampSeconds}`);
  }
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": await signature(secret, id, timestampSeconds, body),
  };
}

function header(headers: Headers | Record<string, string>, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return null;
}

/**
 * Checks a received webhook: the timestamp within tolerance and any space-separated "v1,"
 * signature matching. Comparison is crypto.subtle.verify, which is constant-time.
 */
export async function verifyWebhook(
  secret: string,
  headers: Headers | Record<string, string>,
  body: string,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing_headers" };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: "invalid_timestamp" };
  const sent = Number(timestamp);
  const now = options.now_seconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.tolerance_seconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (now - sent > tolerance) return { ok: false, reason: "timestamp_too_old" };
  if (sent - now > tolerance) return { ok: false, reason: "timestamp_too_new" };

  const key = await importKey(secret);
  const content = signedContent(id, timestamp, body);
  for (const candidate of signatures.split(" ")) {
    const [version, encoded] = candidate.split(",", 2);
    if (version !== "v1" || !encoded) continue;
    const mac = fromBase64(encoded);
    if (mac && (await crypto.subtle.verify("HMAC", key, mac, content))) return { ok: true };
  }
  return { ok: false, reason: "no_matching_signature" };
}

/** A new secret: "whsec_" + base64 of 24 random bytes. */
export function generateSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}
