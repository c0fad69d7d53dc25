import { describe, expect, it } from "vitest";
import { userShareVerdict } from "../../src/spend/user-share";

const rule = { percent: 50, minUsd: 5 };

describe("userShareVerdict", () => {
  it("fires when the heaviest user's lower bound is above the share and the minimum", () => {
    const v = userShareVerdict(
      { total: 20, decrement: 0, entries: [{ key: "a", weight: 12, requests: 3 }] },
      rule,
    );
    expect(v).toMatchObject({ breach: true, user: "a", costUsd: 12, shareLow: 0.6 });
  });

  it("does not fire when only the upper bound is above the share", () => {
    const v = userShareVerdict(
      { total: 20, decrement: 4, entries: [{ key: "a", weight: 9, requests: 3 }] },
      rule,
    );
    expect(v.breach).toBe(false);
    expect(v.shareHigh).toBeCloseTo(13 / 20, 12);
  });

  it("does not fire below the minimum cost", () => {
    const v = userShareVerdict(
      { total: 4, decrement: 0, entries: [{ key: "a", weight: 4, requests: 1 }] },
      rule,
    );
    expect(v.breach).toBe(false);
  });

  it("does not fire at exactly the share", () => {
    const v = userShareVerdict(
      { total: 20, decrement: 0, entries: [{ key: "a", weight: 10, requests: 1 }] },
      rule,
    );
    expect(v.breach).toBe(false);
  });

  it("answers no user when nothing was spent", () => {
    expect(userShareVerdict(null, rule)).toMatchObject({ breach: false, user: null });
    expect(userShareVerdict({ total: 0, decrement: 0, entries: [] }, rule).breach).toBe(false);
  });
});
