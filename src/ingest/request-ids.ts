// Ids for events sent without one. By default a fresh time-ordered UUIDv7 each (they
// store fastest, see src/shared/ids.ts), returned in the answer's `ids`. A request that carries
// an Idempotency-Key gets ids derived from that key and the event's position instead,
// so repeating the request with the same key and body stores every event once, even
// when the first attempt was cut off after queueing part of it.
import { newEventId } from "../shared/ids";

/** Printable ASCII, as the IETF Idempotency-Key draft's examples use; 1–128 characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export type IdMaker = (index: number) => string;

export const randomIds: IdMaker = () => newEventId();

/** True when `key` is a usable Idempotency-Key. */
export const isIdempotencyKey = (key: string) => IDEMPOTENCY_KEY.test(key);

/**
 * `ik_<22 base64url characters of SHA-256(key)>_<index>`: at most 31 characters, within
 * the contract's 64. Ids are per project (the events key is (project, id)).
 */
export async function idempotentIds(key: string): Promise<IdMaker> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)),
  );
  const prefix = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .slice(0, 22);
  return (index) => `ik_${prefix}_${index}`;
}
