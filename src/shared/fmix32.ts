// MurmurHash3's 32-bit finaliser (Appleby's fmix32): every input bit flips each output bit
// with probability about 1/2. The ledger's id fingerprints (monitor/ledger/id-hash.ts) and
// the windows' hash32 (window/distinct-count.ts) both end with it.

/** fmix32 of a 32-bit value, as an unsigned integer. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
