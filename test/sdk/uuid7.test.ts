// Event ids are RFC 9562 version-7 UUIDs: valid format, the time they were made, and
// ordered by that time.
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { uuid7, uuid7Time } from "../../packages/sdk/src/uuid7";

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuid7", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("encodes RFC 9562's example timestamp (Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00)", () => {
    // RFC 9562 Appendix A.6: unix_ts_ms 0x017F22E279B0 for 1645557742000 ms.
    const id = uuid7(1_645_557_742_000);
    expect(id.slice(0, 13)).toBe("017f22e2-79b0");
    expect(id).toMatch(UUID7);
    expect(uuid7Time(id)).toBe(1_645_557_742_000);
  });

  it("has version 7, variant 0b10 and the time it was given, for any time in range", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (ms) => {
        const id = uuid7(ms);
        expect(id).toMatch(UUID7);
        expect(uuid7Time(id)).toBe(ms);
      }),
    );
  });

  it("sorts by time: an id from a later millisecond sorts after an earlier one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 10_000 }),
        (ms, later) => {
          const a = uuid7(ms);
          const b = uuid7(Math.min(ms + later, 2 ** 48 - 1));
          expect(a < b).toBe(true);
        },
      ),
    );
  });

  it("draws fresh random bits for every id", () => {
    const ids = Array.from({ length: 5_000 }, () => uuid7(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    // 74 random bits: the random tails of two ids in one millisecond differ.
    const tails = new Set(ids.map((id) => id.slice(14)));
    expect(tails.size).toBe(ids.length);
  });

  it("works without crypto.randomUUID (insecure http: pages), with the same shape", () => {
    vi.stubGlobal("crypto", {});
    expect(crypto.randomUUID).toBeUndefined();
    const ids = Array.from({ length: 1_000 }, (_, i) => uuid7(1_700_000_000_000 + i));
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(UUID7);
      expect(uuid7Time(id)).toBe(1_700_000_000_000 + i);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("defaults to now", () => {
    const before = Date.now();
    const t = uuid7Time(uuid7());
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});
