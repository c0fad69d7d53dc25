// The period-end forecast against known values: flat traffic, a daily rhythm a straight
// line misreads, a brand-new scope, and the run-out instant.
import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS } from "../../src/shared/time";
import {
  type ForecastInput,
  forecastPeriod,
  type HourSpend,
  straightLineForecast,
} from "../../src/spend/forecast";

const MONTH_START = Date.parse("2026-06-01T00:00:00Z");
const MONTH_END = Date.parse("2026-07-01T00:00:00Z");

/** Hourly spend from `from` (inclusive) to `to` (exclusive), by hour of the UTC day. */
function hours(from: number, to: number, usdAt: (hourOfDay: number) => number): HourSpend[] {
  const out: HourSpend[] = [];
  for (let h = from; h < to; h += HOUR_MS)
    out.push({ start: h, usd: usdAt(new Date(h).getUTCHours()) });
  return out;
}

const input = (
  partial: Partial<ForecastInput> & Pick<ForecastInput, "hours" | "now">,
): ForecastInput => ({
  periodStart: MONTH_START,
  periodEnd: MONTH_END,
  amountUsd: 1_000,
  ...partial,
});

describe("period-end forecast", () => {
  it("steady spend of $1 an hour forecasts exactly 720 for a 30-day month, with no spread", () => {
    const now = MONTH_START + 10 * DAY_MS;
    const f = forecastPeriod(input({ hours: hours(MONTH_START - 14 * DAY_MS, now, () => 1), now }));
    expect(f.spentUsd).toBe(240);
    expect(f.expectedUsd).toBeCloseTo(720, 9);
    expect(f.lowUsd).toBeCloseTo(720, 9);
    expect(f.highUsd).toBeCloseTo(720, 9);
    expect(f.method).toBe("weekly");
    expect(f.paceUsdPerHour).toBeCloseTo(1, 9);
    expect(f.runsOutAt).toBeNull();
  });

  it("a daytime-only rhythm read at dawn on day 3 forecasts the true 720 where a straight line says 640", () => {
    // $2 an hour from 08:00 to 20:00 UTC, nothing at night: $24 a day.
    const daytime = (h: number) => (h >= 8 && h < 20 ? 2 : 0);
    const now = MONTH_START + 2 * DAY_MS + 6 * HOUR_MS;
    const i = input({ hours: hours(MONTH_START, now, daytime), now });
    const f = forecastPeriod(i);
    expect(f.spentUsd).toBe(48);
    expect(f.method).toBe("daily");
    expect(f.expectedUsd).toBeCloseTo(720, 6);
    expect(straightLineForecast(f.spentUsd, i)).toBeCloseTo(640, 6);
    expect(f.paceUsdPerHour).toBe(0);
  });

  it("spend that doubled on the last day forecasts above the straight line and runs out before the month ends", () => {
    const now = MONTH_START + 8 * DAY_MS;
    const list = hours(MONTH_START - 14 * DAY_MS, now, () => 1).map((h) =>
      h.start >= now - DAY_MS ? { ...h, usd: 2 } : h,
    );
    const i = input({ hours: list, now, amountUsd: 800 });
    const f = forecastPeriod(i);
    expect(f.expectedUsd).toBeGreaterThan(straightLineForecast(f.spentUsd, i));
    expect(f.highUsd).toBeGreaterThan(f.expectedUsd);
    expect(f.lowUsd).toBeLessThan(f.expectedUsd);
    expect(f.lowUsd).toBeGreaterThanOrEqual(f.spentUsd);
    expect(f.runsOutAt).not.toBeNull();
    expect(f.runsOutAt ?? 0).toBeLessThan(MONTH_END);
  });

  it("a scope with spend only in the current half hour forecasts at that pace, flat, with a wide interval", () => {
    const now = MONTH_START + 30 * 60_000;
    const f = forecastPeriod(input({ hours: [{ start: MONTH_START, usd: 1 }], now }));
    expect(f.method).toBe("flat");
    expect(f.paceUsdPerHour).toBeCloseTo(2, 9);
    expect(f.expectedUsd).toBeCloseTo(1 + 2 * (720 - 0.5), 6);
    expect(f.highUsd - f.lowUsd).toBeGreaterThan(0.5 * f.expectedUsd);
  });

  it("a budget already spent names the instant it ran out, inside the hour that crossed it", () => {
    const now = MONTH_START + 5 * HOUR_MS;
    const f = forecastPeriod(
      input({ hours: hours(MONTH_START, now, () => 10), now, amountUsd: 25 }),
    );
    expect(f.runsOutAt).toBe(MONTH_START + 2.5 * HOUR_MS);
  });

  it("no spend at all forecasts zero and never runs out", () => {
    const now = MONTH_START + 3 * DAY_MS;
    const f = forecastPeriod(input({ hours: [], now }));
    expect([f.spentUsd, f.expectedUsd, f.lowUsd, f.highUsd]).toEqual([0, 0, 0, 0]);
    expect(f.runsOutAt).toBeNull();
  });

  it("spend before the period counts toward the rhythm, not toward what was spent", () => {
    const now = MONTH_START + HOUR_MS;
    const f = forecastPeriod(input({ hours: hours(MONTH_START - 3 * DAY_MS, now, () => 1), now }));
    expect(f.spentUsd).toBe(1);
    expect(f.expectedUsd).toBeCloseTo(720, 6);
  });
});
