// Time-ordered event ids (UUID version 7, RFC 9562 §5.7): 48 bits of Unix milliseconds,
// then 74 random bits. Ids made later sort later, so storing them appends to the
// (project, id) index instead of scattering writes across it as random UUIDs do; the
// ingest side and the SDK use the same generator.

let prefixMs = -1;
let prefix = "";

const randomHex = (digits: number): string => {
  let s = "";
  for (let i = 0; i < digits; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
};

/**
 * The random part after the version digit, `xxx-Vxxx-xxxxxxxxxxxx` (V: variant 0b10,
 * one of 8, 9, a, b): a v4 UUID's tail has exactly that shape, and crypto.randomUUID
 * is native and fast. Insecure (http:) pages lack it, so fall back to Math.random.
 */
function randomTail(): string {
  if (typeof crypto !== "undefined" && crypto.randomUUID) return crypto.randomUUID().slice(15);
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${randomHex(3)}-${variant}${randomHex(3)}-${randomHex(12)}`;
}

/** A UUIDv7 string for time `ms` (default now), e.g. `019ac4f2-7b3e-7a1c-9f02-5d8e1c0b7a44`. */
export function uuid7(ms: number = Date.now()): string {
  if (ms !== prefixMs) {
    const time = (Math.max(0, Math.floor(ms)) % 2 ** 48).toString(16).padStart(12, "0");
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    prefixMs = ms;
  }
  return prefix + randomTail();
}

/** The millisecond timestamp a UUIDv7 carries. */
export function uuid7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
