// Distinct values (hashed user ids) counted by a HyperLogLog of 64 registers (Flajolet et
// al. 2007): mergeable by taking each register's maximum, 64 bytes in memory and 64
// characters stored. Its relative standard error is 1.04/√64 = 13 %; below 2.5 × 64 = 160
// distinct values linear counting takes over. Measured against exact counts (500 runs
// each): root-mean-square error 7-14 % at every size from 5 to 100,000; a single estimate
// can be up to about half off (2 of 5 users, 51 of 100).
// test/window/distinct-count.test.ts checks both against exact counts.
import { fmix32 } from "../shared/fmix32";

/** Registers: 2^6, the first 6 bits of a value's 32-bit hash choose one. */
export const REGISTER_BITS = 6;
export const REGISTERS = 1 << REGISTER_BITS;
/** 1.04/√m: the estimate's relative standard error above the linear-counting range. */
export const RELATIVE_ERROR = 1.04 / Math.sqrt(REGISTERS);

export type DistinctCount = Uint8Array;

export const emptyDistinct = (): DistinctCount => new Uint8Array(REGISTERS);

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so every bit avalanches. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

export function addDistinct(c: DistinctCount, value: string): DistinctCount {
  const h = hash32(value);
  const j = h >>> (32 - REGISTER_BITS);
  const rest = (h << REGISTER_BITS) >>> 0;
  // Position of the first 1 bit in the remaining 26 bits (27 when they are all 0).
  const rank = rest === 0 ? 32 - REGISTER_BITS + 1 : Math.clz32(rest) + 1;
  if (rank > (c[j] ?? 0)) c[j] = rank;
  return c;
}

export function mergeDistinct(into: DistinctCount, from: DistinctCount): DistinctCount {
  for (let j = 0; j < REGISTERS; j++) into[j] = Math.max(into[j] ?? 0, from[j] ?? 0);
  return into;
}

/** The estimated number of distinct values added, rounded. */
export function estimateDistinct(c: DistinctCount): number {
  let sum = 0;
  let zeros = 0;
  for (let j = 0; j < REGISTERS; j++) {
    const r = c[j] ?? 0;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.709; // α for m = 64
  const raw = (alpha * REGISTERS * REGISTERS) / sum;
  if (raw <= 2.5 * REGISTERS && zeros > 0) {
    return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
  }
  return Math.round(raw);
}

/** 64 base-32 digits (a register is at most 27). */
export function encodeDistinct(c: DistinctCount): string {
  return Array.from(c, (r) => r.toString(32)).join("");
}

/** Reads encodeDistinct output; throws SyntaxError on anything else. */
export function decodeDistinct(text: string): DistinctCount {
  if (text.length !== REGISTERS || !/^[0-9a-r]+$/.test(text)) {
    throw new SyntaxError("distinct count: bad registers");
  }
  return Uint8Array.from(text, (ch) => Number.parseInt(ch, 32));
}
