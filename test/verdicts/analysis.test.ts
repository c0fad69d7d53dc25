// Release analysis states on simulated concurrent traffic: fail on a regression, pass on an
// equal candidate, inconclusive without traffic, superseded on rollback, and the A/A error.
import { describe, expect, it } from "vitest";
import {
  type AnalysisState,
  DEFAULT_VERDICT_OPTIONS,
  signalResults,
  startAnalysis,
  stepAnalysis,
  supersede,
} from "../../src/verdicts";
import { type ReleaseScenario, simulateMinutes } from "./release-sim";

const START = Date.UTC(2026, 0, 5, 9);
const HOUR = 3_600_000;

/** Runs minute by minute until decided or `hours` passed; the analysis and its last minute. */
function run(s: ReleaseScenario, seed: number, hours = 24): { a: AnalysisState; minutes: number } {
  const next = simulateMinutes(s, seed, START);
  let a = startAnalysis(START, Object.keys(s.rates));
  let i = 0;
  for (; i < hours * 60 && a.state === "pending"; i++) {
    a = stepAnalysis(a, [next(i)], START + (i + 1) * 60_000);
  }
  return { a, minutes: i };
}

describe("release analysis", () => {
  it("fails a candidate whose error rate went from 1 % to 3 %, naming the signal", () => {
    const { a } = run(
      {
        perMinute: 1000,
        share: 0.2,
        rates: { error_rate: [0.01, 0.03], timeout_rate: [0.01, 0.01] },
      },
      1,
    );
    expect(a.state).toBe("fail");
    const error = signalResults(a).find((r) => r.metric === "error_rate");
    expect(error?.decision).toBe("worse");
    expect(error?.ci?.[0]).toBeGreaterThan(0);
    expect(a.decidedAt).toBeLessThan(START + HOUR);
  });

  it("passes an equal candidate once every signal is shown within its margin", () => {
    const { a } = run(
      {
        perMinute: 1000,
        share: 0.5,
        rates: { error_rate: [0.01, 0.01], thumbs_down_rate: [0.05, 0.05] },
      },
      2,
    );
    expect(a.state).toBe("pass");
    expect((a.decidedAt ?? 0) - START).toBeGreaterThanOrEqual(
      DEFAULT_VERDICT_OPTIONS.minDurationMs,
    );
    for (const r of signalResults(a)) {
      expect(r.decision).toBe("no_worse");
      expect(r.ci?.[1]).toBeLessThan(r.margin);
    }
  });

  // Wald: a sequential test at error alpha / K needs about 2 ln(K / alpha) / Δ² information.
  // Mixing only at the margin (0.05), a latency change 4.4× the margin took a median 1.9× that;
  // the second mixing scale (4× the margin) brings it to ~1.4×.
  it("fails a latency change 4× its margin within 1.7× Wald's information bound (median of 41)", () => {
    const perMinute = 100;
    const share = 0.05;
    const [pa, pb] = [0.1, 0.3187];
    const rates = {
      error_rate: [0.01, 0.01] as [number, number],
      thumbs_down_rate: [0.05, 0.05] as [number, number],
      latency_p90_exceedance: [pa, pb] as [number, number],
      output_tokens_p50_exceedance: [0.5, 0.5] as [number, number],
    };
    const k = Object.keys(rates).length;
    const infoPerMinute =
      1 / ((pa * (1 - pa)) / (perMinute * (1 - share)) + (pb * (1 - pb)) / (perMinute * share));
    const bound =
      (2 * Math.log(k / DEFAULT_VERDICT_OPTIONS.alpha)) / ((pb - pa) ** 2 * infoPerMinute);
    const minutes = Array.from({ length: 41 }, (_, seed) => {
      const { a, minutes } = run({ perMinute, share, rates }, 20_000 + seed, 4);
      expect(a.state).toBe("fail");
      return minutes;
    }).sort((x, y) => x - y);
    expect(minutes[20]).toBeLessThanOrEqual(1.7 * bound);
  });

  it("does not fail a candidate when a shared outage hits both arms mid-rollout", () => {
    const { a } = run(
      {
        perMinute: 1000,
        share: 0.2,
        rates: { error_rate: [0.01, 0.01] },
        shock: { from: 40, to: 70, factor: 30 },
      },
      3,
    );
    expect(a.state).toBe("pass");
  });

  it("ends inconclusive after 24 hours when the candidate never served", () => {
    const { a } = run({ perMinute: 100, share: 0, rates: { error_rate: [0.01, 0.01] } }, 4, 25);
    expect(a.state).toBe("inconclusive");
    expect(a.reason).toBe("the candidate never served");
    expect(a.decidedAt).toBe(START + 24 * HOUR);
  });

  it("ends superseded when the candidate stops serving for an hour while the incumbent serves on", () => {
    const served = simulateMinutes(
      { perMinute: 100, share: 0.2, rates: { error_rate: [0.01, 0.01] } },
      5,
      START,
    );
    const rolledBack = simulateMinutes(
      { perMinute: 100, share: 0, rates: { error_rate: [0.01, 0.01] } },
      6,
      START,
    );
    let a = startAnalysis(START, ["error_rate"]);
    for (let i = 0; i < 200 && a.state === "pending"; i++) {
      a = stepAnalysis(a, [i < 10 ? served(i) : rolledBack(i)], START + (i + 1) * 60_000);
    }
    expect(a.state).toBe("superseded");
    expect(a.reason).toMatch(/rolled back/);
    // Last served in minute 9; minute 69 is an hour later, decided at the tick after it.
    expect(a.decidedAt).toBe(START + 70 * 60_000);
  });

  it("keeps a decided analysis as it is", () => {
    const a = supersede(startAnalysis(START, ["error_rate"]), START + 1, "replaced by 2");
    expect(supersede(a, START + 2, "again")).toBe(a);
    expect(stepAnalysis(a, [], START + 48 * HOUR)).toBe(a);
  });

  it("folds each minute once, even when a tick hands it again", () => {
    const next = simulateMinutes(
      { perMinute: 100, share: 0.5, rates: { error_rate: [0.1, 0.1] } },
      7,
      START,
    );
    const m = next(0);
    const once = stepAnalysis(startAnalysis(START, ["error_rate"]), [m], START + 60_000);
    const twice = stepAnalysis(once, [m], START + 120_000);
    expect(twice.signals).toEqual(once.signals);
  });

  it("refuses an analysis without a known signal", () => {
    expect(() => startAnalysis(START, ["nonsense"])).toThrow(RangeError);
  });

  // A/A: the candidate behaves like the incumbent. Every release is watched each minute for
  // 6 hours (or until it passes); the false-fail rate must stay at or below alpha = 1 %.
  it("fails at most 1 % of 400 equal candidates watched every minute, shared shocks included", () => {
    let fails = 0;
    const releases = 400;
    for (let seed = 0; seed < releases; seed++) {
      const { a } = run(
        {
          perMinute: 100,
          share: seed % 2 === 0 ? 0.05 : 0.5,
          rates: {
            error_rate: [0.02, 0.02],
            thumbs_down_rate: [0.05, 0.05],
            latency_p90_exceedance: [0.1, 0.1],
          },
          shock: seed % 4 < 2 ? { from: 30, to: 90, factor: 5 } : undefined,
        },
        10_000 + seed,
        6,
      );
      if (a.state === "fail") fails += 1;
    }
    expect(fails / releases).toBeLessThanOrEqual(DEFAULT_VERDICT_OPTIONS.alpha);
  });
});
