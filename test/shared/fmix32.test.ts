// MurmurHash3's finaliser against the reference: MurmurHash3_x86_32 of no bytes is fmix32
// of its seed (SMHasher's vectors), and it is a bijection, so distinct inputs stay distinct.
import { describe, expect, it } from "vitest";
import { murmur3 } from "../../src/monitor/ledger/id-hash";
import { fmix32 } from "../../src/shared/fmix32";

describe("fmix32", () => {
  it("gives MurmurHash3's reference values for no bytes under seeds 0, 1 and 2^32 - 1", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(new Uint8Array(0), 0, 1)).toBe(0x514e28b7);
  });

  it("maps 10,000 consecutive values to 10,000 distinct unsigned 32-bit values", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const h = fmix32(i);
      expect(h >>> 0).toBe(h);
      seen.add(h);
    }
    expect(seen.size).toBe(10_000);
  });
});
