// Keyed hashing of user and session identifiers: HMAC-SHA-256 under a per-project
// secret, so that knowing a user id (and the public project id) does not let anyone
// confirm it from a stored hash.

/** 32 random bytes as hex: a new project's identifier secret. */
export function newHashSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function importHashKey(secretHex: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    hexToBytes(secretHex),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

/**
 * The first 16 bytes of HMAC-SHA-256(key, value) as hex: 128 bits is plenty to count
 * distinct users, and truncation keeps the stored hashes as long as before.
 */
export async function hashIdentifier(key: CryptoKey, value: string): Promise<string> {
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(value)),
  );
  return [...mac.subarray(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
