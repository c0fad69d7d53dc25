// Time-ordered event ids (UUID version 7, RFC 9562 §5.7): 48 bits of Unix milliseconds,
// then 74 random bits. Ids made later sort later, so storing them appends to the
// (project, id) index instead of scattering writes across it as random UUIDs do; the
// ingest side and the SDK use the same generator.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const POOL_IDS = 128;
const pool = new Uint8Array(POOL_IDS * 10);
let used = POOL_IDS * 10;

/** Fills `bytes` with random values: crypto where the page has it, Math.random otherwise. */
function fillRandom(bytes: Uint8Array): void {
  if (typeof crypto !== "undefined" && crypto.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
}

/** A UUIDv7 string for time `ms` (default now), e.g. `019ac4f2-7b3e-7a1c-9f02-5d8e1c0b7a44`. */
export function uuid7(ms: number = Date.now()): string {
  if (used + 10 > pool.length) {
    // NOTE: random bytes are drawn for many ids at once: one call per id costs more than the id.
    fillRandom(pool);
    used = 0;
  }
  const at = used;
  used += 10;
  const r = (i: number) => pool[at + i] ?? 0;
  const time = (Math.max(0, Math.floor(ms)) % 2 ** 48).toString(16).padStart(12, "0");
  // Version 7 in the high nibble of byte 6; variant 0b10 in the top two bits of byte 8.
  return `${time.slice(0, 8)}-${time.slice(8)}-${HEX[0x70 | (r(0) & 0x0f)]}${HEX[r(1)]}-${
    HEX[0x80 | (r(2) & 0x3f)]
  }${HEX[r(3)]}-${HEX[r(4)]}${HEX[r(5)]}${HEX[r(6)]}${HEX[r(7)]}${HEX[r(8)]}${HEX[r(9)]}`;
}

/** The millisecond timestamp a UUIDv7 carries. */
export function uuid7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
