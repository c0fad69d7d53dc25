// Burn-rate pairs: both windows must burn at the factor, and the short window ends an alert.
import { describe, expect, it } from "vitest";
import { HOUR_MS, MINUTE_MS } from "../../src/shared/time";
import { burnRate, type MinuteSpend, readPairs, windowSpend } from "../../src/spend/burn-rate";

const NOW = Date.parse("2026-06-10T12:00:00Z");
/** `usd` in each minute of [NOW − fromAgo, NOW − toAgo). */
function spend(fromAgo: number, toAgo: number, usd: number): MinuteSpend[] {
  const out: MinuteSpend[] = [];
  for (let t = NOW - fromAgo; t < NOW - toAgo; t += MINUTE_MS) out.push({ start: t, usd });
  return out;
}
// $720 a month of 30 days: an even pace of $1 an hour.
const EVEN = 1;

describe("burn rates", () => {
  it("a window spending 14 times the even pace burns at 14", () => {
    expect(burnRate(14, HOUR_MS, EVEN)).toBe(14);
    expect(burnRate(14 / 12, 5 * MINUTE_MS, EVEN)).toBeCloseTo(14, 9);
    expect(burnRate(5, HOUR_MS, 0)).toBe(0);
  });

  it("counts the minutes of the window only, not the minute being evaluated", () => {
    const minutes = [...spend(2 * HOUR_MS, 0, 1), { start: NOW, usd: 100 }];
    expect(windowSpend(minutes, NOW, HOUR_MS)).toBe(60);
  });

  it("a sustained burn at 15× fires the fast pair (critical) and the slow pair (warning)", () => {
    const minutes = spend(6 * HOUR_MS, 0, 15 / 60);
    const [fast, slow] = readPairs(minutes, NOW, EVEN);
    expect(fast).toMatchObject({ breach: true });
    expect(fast?.pair.severity).toBe("critical");
    expect(fast?.longRate).toBeCloseTo(15, 9);
    expect(slow).toMatchObject({ breach: true });
    expect(slow?.pair.severity).toBe("warning");
  });

  it("a burn at exactly 14× fires the fast pair, at 13.9× it does not", () => {
    expect(readPairs(spend(HOUR_MS, 0, 14 / 60), NOW, EVEN)[0]?.breach).toBe(true);
    expect(readPairs(spend(HOUR_MS, 0, 13.9 / 60), NOW, EVEN)[0]?.breach).toBe(false);
  });

  it("a spike that stopped 5 minutes ago no longer fires: the short window has fallen back", () => {
    const minutes = spend(HOUR_MS, 5 * MINUTE_MS, 30 / 60);
    const [fast] = readPairs(minutes, NOW, EVEN);
    expect(fast?.longRate).toBeGreaterThan(14);
    expect(fast?.shortRate).toBe(0);
    expect(fast?.breach).toBe(false);
  });

  it("a 5-minute burst alone does not fire: the hour has not burned at 14×", () => {
    const minutes = spend(5 * MINUTE_MS, 0, 100 / 60);
    const [fast] = readPairs(minutes, NOW, EVEN);
    expect(fast?.shortRate).toBeGreaterThan(14);
    expect(fast?.longRate).toBeLessThan(14);
    expect(fast?.breach).toBe(false);
  });

  it("the slow pair needs 6 hours at 6×: 5 hours at 7× are not enough", () => {
    const minutes = spend(5 * HOUR_MS, 0, 7 / 60);
    expect(readPairs(minutes, NOW, EVEN)[1]?.breach).toBe(false);
    expect(readPairs(spend(6 * HOUR_MS, 0, 6 / 60), NOW, EVEN)[1]?.breach).toBe(true);
  });
});
