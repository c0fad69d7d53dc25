// The 64-bit fingerprint under which the ledger remembers an event id: two MurmurHash3
// (x86, 32-bit) hashes of the id's UTF-8 bytes under different seeds. Not cryptographic:
// ids come from the project's own clients, so a crafted collision only hides that
// project's own event (which its author could simply not send). See ledger.ts for the
// collision analysis.
import { fmix32 } from "../../shared/fmix32";

const SEED_HI = 0;
const SEED_LO = 0x9747b28c;
const encoder = new TextEncoder();
// Ids are at most 64 characters (≤ 192 UTF-8 bytes); longer input gets its own buffer.
let scratch = new Uint8Array(256);

/** MurmurHash3_x86_32 of bytes[0, length) (Appleby's reference algorithm). */
export function murmur3(bytes: Uint8Array, length: number, seed: number): number {
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] ?? 0) |
      ((bytes[i + 1] ?? 0) << 8) |
      ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (length & 3) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: the reference algorithm's tail
    case 3:
      k ^= (bytes[blocks + 2] ?? 0) << 16;
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: the reference algorithm's tail
    case 2:
      k ^= (bytes[blocks + 1] ?? 0) << 8;
    case 1:
      k ^= bytes[blocks] ?? 0;
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  return fmix32(h ^ length);
}

/** An id's fingerprint as 16 lowercase hex digits (what the ledger stores, via unhex). */
export function idFingerprint(id: string): string {
  if (id.length * 3 > scratch.length) scratch = new Uint8Array(id.length * 3);
  const { written } = encoder.encodeInto(id, scratch);
  const hi = murmur3(scratch, written, SEED_HI);
  const lo = murmur3(scratch, written, SEED_LO);
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}
