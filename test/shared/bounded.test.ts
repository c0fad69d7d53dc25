// forEachBounded: every item once, never more than the bound in flight, errors after all settle.
import { describe, expect, it } from "vitest";
import { forEachBounded } from "../../src/shared/bounded";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("forEachBounded", () => {
  it("calls every item once with at most `limit` in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it("finishes the other items before rethrowing the first error", async () => {
    const done: number[] = [];
    const run = forEachBounded([1, 2, 3], 2, async (n) => {
      await tick();
      if (n === 1) throw new Error("one");
      done.push(n);
    });
    await expect(run).rejects.toThrow("one");
    expect(done.sort()).toEqual([2, 3]);
  });

  it("does nothing for no items", async () => {
    await expect(forEachBounded([], 5, async () => {})).resolves.toBeUndefined();
  });
});
