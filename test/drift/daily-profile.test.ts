// The hour-of-day profile of a rate: weighted least squares on two daily harmonics, and the
// test that decides whether a rate has a daily rhythm at all.
import { describe, expect, it } from "vitest";
import {
  fitDailyProfile,
  type HourOfDayCounts,
  PROFILE_ALPHA,
  profileFactor,
} from "../../src/drift/daily-profile";
import { expectClose } from "./close";

const angle = (h: number) => (2 * Math.PI * (h + 0.5)) / 24;

/** Counts at exactly their expected value under a rate p·(1 + a·sin) with n trials an hour. */
function exact(p: number, a: number, n: number): HourOfDayCounts[] {
  return Array.from({ length: 24 }, (_, hour) => ({
    hour,
    trials: n,
    successes: n * p * (1 + a * Math.sin(angle(hour))),
  }));
}

describe("fitDailyProfile", () => {
  it("recovers a rate that swings ±30 % by hour of day exactly from its expected counts", () => {
    const profile = fitDailyProfile(exact(0.01, 0.3, 60_000));
    expect(profile).not.toBeNull();
    const c = profile?.coefficients ?? [];
    // The level carries the profile's extra standard error: with equal hours the fitted factor's
    // relative variance is (1 + 2K)(1 − p)/x against the flat mean's (1 − p)/x, x = 14,400.
    const margin = Math.sqrt((4 * 0.99) / 14_400);
    expectClose(profile?.margin ?? 0, margin, 1e-9);
    expectClose(c[0] ?? 0, 1 + margin, 1e-12);
    expectClose(c[1] ?? 1, 0, 1e-12);
    expectClose(c[2] ?? 0, 0.3, 1e-12);
    expectClose(c[3] ?? 1, 0, 1e-12);
    expectClose(c[4] ?? 1, 0, 1e-12);
  });

  it("states the harmonics' chi-squared as Σβ²·24n / (2p(1 − p)) for equal hours", () => {
    // Equal trials per hour make the fit ordinary least squares, each harmonic's variance
    // 2p(1 − p)/(24n); here only the first sine is non-zero.
    const n = 6000;
    const p = 0.01;
    const profile = fitDailyProfile(exact(p, 0.3, n));
    const beta = 0.3 * p;
    expectClose(profile?.chi2 ?? 0, (beta * beta * 24 * n) / (2 * p * (1 - p)), 1e-9);
  });

  it("leaves a rate without a daily rhythm flat", () => {
    expect(fitDailyProfile(exact(0.01, 0, 60_000))).toBeNull();
  });

  it("leaves a rhythm too weak to tell from noise flat (10 errors an hour)", () => {
    // chi2 = (0.3·0.01)²·24·1000 / (2·0.01·0.99) = 10.9 on 4 degrees of freedom: p = 0.028.
    expect(fitDailyProfile(exact(0.01, 0.3, 1000))).toBeNull();
  });

  it("fits nothing when an hour of the day has no trials", () => {
    const hours = exact(0.01, 0.3, 60_000).filter((h) => h.hour !== 3);
    expect(fitDailyProfile(hours)).toBeNull();
  });

  it("gives a rhythm-free rate a profile in about PROFILE_ALPHA of weeks", () => {
    // Binomial hourly counts (normal draws, 7 × 600 trials an hour at 1 %), 10,000 weeks.
    let state = 12345;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 2 ** 32;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const weeks = 10_000;
    const n = 4200;
    const p = 0.01;
    let profiled = 0;
    for (let w = 0; w < weeks; w++) {
      const hours = Array.from({ length: 24 }, (_, hour) => ({
        hour,
        trials: n,
        successes: Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gauss())),
      }));
      if (fitDailyProfile(hours)) profiled++;
    }
    // Expected 10 at α = 1e-3; 26 is 5 standard deviations above.
    expect(profiled).toBeLessThanOrEqual(26);
    expect(PROFILE_ALPHA).toBe(1e-3);
  });
});

describe("profileFactor", () => {
  it("reads the fitted factor at a time of day, whatever the date", () => {
    const c = [1, 0, 0.3, 0, 0];
    // 06:00 UTC is a quarter of the day: sin = 1.
    expectClose(profileFactor(c, Date.UTC(2026, 11, 7, 6, 0)), 1.3, 1e-12);
    expectClose(profileFactor(c, Date.UTC(2027, 2, 1, 18, 0)), 0.7, 1e-12);
    expectClose(profileFactor(c, Date.UTC(2026, 11, 7, 0, 0)), 1, 1e-12);
  });

  it("never moves the baseline rate by more than a factor of 10", () => {
    expect(profileFactor([1, 0, 30, 0, 0], Date.UTC(2026, 0, 1, 6))).toBe(10);
    expect(profileFactor([1, 0, -30, 0, 0], Date.UTC(2026, 0, 1, 6))).toBe(0.1);
  });
});
