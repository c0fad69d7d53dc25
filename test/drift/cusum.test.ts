// CUSUM run lengths: Siegmund's approximation against published ARLs, and the Bernoulli bank's
// false-alarm rate, delay and change estimates against simulation.
import { describe, expect, it } from "vitest";
import {
  bernoulliKl,
  combinedArl,
  cusumThreshold,
  designBernoulliBank,
  initialBankState,
  siegmundArl0,
  stepBernoulliBank,
  withOddsRatio,
} from "../../src/drift";
import { normal, seededRandom } from "../sample-values";
import { expectClose } from "./close";

function binomial(random: () => number, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (random() < p) x++;
  return x;
}

/** Knuth's method; fine for the small means used here. */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

describe("Siegmund's ARL approximation", () => {
  // Normal CUSUM, reference k = 0.5 sd, in log-likelihood units for a 1-sd shift: the increment
  // x - 0.5 has drift 0.5 and sd 1 under no change, and h (in sd) is the LLR threshold.
  it("gives (e^5.166 - 6.166) / 0.5 = 338.1 at h = 4, within 1 % of the exact one-sided 336", () => {
    const arl = siegmundArl0(4, 0.5, 1);
    expectClose(arl, (Math.exp(5.166) - 6.166) / 0.5, 1e-12);
    expectClose(arl, 336, 0.01);
  });

  it("reproduces Montgomery's two-sided tabular CUSUM ARL0 of 168 (h = 4) and 465 (h = 5) within 1 %", () => {
    // Montgomery, Introduction to Statistical Quality Control, table of ARLs for k = 1/2.
    for (const [h, published] of [
      [4, 168],
      [5, 465],
    ] as const) {
      const one = siegmundArl0(h, 0.5, 1);
      expectClose(combinedArl([one, one]), published, 0.01);
    }
  });

  it("agrees with a simulated normal CUSUM (k = 0.5, h = 4): exact 336, simulated within 5 %", () => {
    const random = seededRandom(7);
    const runs = 6000;
    let total = 0;
    for (let r = 0; r < runs; r++) {
      let s = 0;
      let t = 0;
      while (s < 4) {
        s = Math.max(0, s + normal(random) - 0.5);
        t++;
      }
      total += t;
    }
    // Standard error of the mean run length ~ 336 / sqrt(6000) = 4.3 (1.3 %).
    expectClose(total / runs, 336, 0.05);
  });

  it("inverts to the threshold that buys a given ARL", () => {
    const h = cusumThreshold(43_200, 0.02, 0.3);
    expectClose(siegmundArl0(h, 0.02, 0.3), 43_200, 1e-8);
    expect(cusumThreshold(0.1, 5, 1)).toBe(0);
    expect(() => cusumThreshold(100, 0, 1)).toThrow(RangeError);
  });
});

describe("Bernoulli CUSUM bank", () => {
  it("computes KL and odds-ratio alternatives by hand", () => {
    // The figure: KL(10 % || 5 %) = 0.1 ln 2 + 0.9 ln(0.9 / 0.95) = 0.0206 nats.
    expectClose(bernoulliKl(0.1, 0.05), 0.1 * Math.log(2) + 0.9 * Math.log(0.9 / 0.95), 1e-14);
    expectClose(withOddsRatio(0.5, 3), 0.75, 1e-14);
  });

  it("false-alarms no more often than its budget, by about its margin (one arm, 20 trials a step, p0 = 5 %)", () => {
    const bank = designBernoulliBank({ p0: 0.05, oddsRatios: [2], arl0: 1000, trialsPerStep: 20 });
    const random = seededRandom(11);
    const runs = 400;
    let total = 0;
    for (let r = 0; r < runs; r++) {
      let state = initialBankState(bank, 0);
      for (let t = 0; ; t++) {
        const n = poisson(random, 20);
        const step = stepBernoulliBank(bank, state, t, binomial(random, n, 0.05), n);
        state = step.state;
        if (step.alarm) {
          total += t + 1;
          break;
        }
      }
    }
    // s.e. ~ 5 %; Siegmund's formula is solved for 1.25x the budget (SIEGMUND_MARGIN), as it
    // comes out a little short for lattice increments.
    const arl = total / runs;
    expect(arl).toBeGreaterThan(1000);
    expect(arl).toBeLessThan(1700);
  });

  it("detects 5 % -> 10 % at 100 trials a minute within 2x log(ARL0) / KL and estimates when and what", () => {
    const arl0 = 43_200;
    const bank = designBernoulliBank({
      p0: 0.05,
      oddsRatios: [1.25, 1.5, 2, 3, 5],
      arl0,
      trialsPerStep: 100,
    });
    const bound = Math.log(arl0) / (100 * bernoulliKl(0.1, 0.05));
    const random = seededRandom(3);
    const delays: number[] = [];
    const estimates: number[] = [];
    let early = 0;
    for (let r = 0; r < 40; r++) {
      let state = initialBankState(bank, 0);
      for (let t = 0; t < 500; t++) {
        const p = t < 200 ? 0.05 : 0.1;
        const n = 100;
        const step = stepBernoulliBank(bank, state, t, binomial(random, n, p), n);
        state = step.state;
        if (step.alarm && t < 200) {
          early++;
          state = initialBankState(bank, t + 1);
        }
        if (step.alarm && t >= 200) {
          delays.push(t - 199);
          expect(Math.abs(step.alarm.changeStep - 200)).toBeLessThanOrEqual(8);
          estimates.push(step.alarm.estimate);
          break;
        }
      }
    }
    expect(delays).toHaveLength(40);
    // 8,000 minutes before the change at one false alarm per 43,200 expected: 0.2.
    expect(early).toBeLessThanOrEqual(2);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeLessThan(2 * bound);
    // The rate since the estimated change, read at the alarm: biased up (alarms come on high
    // minutes) but near the new 10 %.
    const meanEstimate = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    expect(meanEstimate).toBeGreaterThan(0.08);
    expect(meanEstimate).toBeLessThan(0.14);
  });

  it("holds its budget where a minute's batch is coarse (p0 = 50 %, odds ratio 3, 100 trials a step)", () => {
    // Per-step sd 5.7 nats: Siegmund's b = h + 1.166 sd put h at 0 for an ARL of 200 (every
    // step above p0 alarmed) and the true ARL fell to a fraction of it (0.22x at the Worker's
    // budget). Lorden's bound, ARL >= e^h, gives h = ln 200 = 5.30.
    const bank = designBernoulliBank({ p0: 0.5, oddsRatios: [3], arl0: 200, trialsPerStep: 100 });
    expectClose(bank.arms[0]?.threshold ?? 0, Math.log(200), 1e-12);
    const random = seededRandom(5);
    const runs = 40;
    let total = 0;
    for (let r = 0; r < runs; r++) {
      let state = initialBankState(bank, 0);
      for (let t = 0; ; t++) {
        const step = stepBernoulliBank(bank, state, t, binomial(random, 100, 0.5), 100);
        state = step.state;
        if (step.alarm) {
          total += t + 1;
          break;
        }
      }
    }
    // The true ARL is several times e^h; the old threshold gave a mean run of a few steps.
    expect(total / runs).toBeGreaterThan(200);
  });

  it("rejects counts that cannot be", () => {
    const bank = designBernoulliBank({ p0: 0.05, oddsRatios: [2], arl0: 100, trialsPerStep: 5 });
    const s = initialBankState(bank, 0);
    expect(() => stepBernoulliBank(bank, s, 0, 3, 2)).toThrow(RangeError);
    expect(() => stepBernoulliBank(bank, s, 0, 0.5, 2)).toThrow(RangeError);
    expect(() =>
      designBernoulliBank({ p0: 0, oddsRatios: [2], arl0: 100, trialsPerStep: 5 }),
    ).toThrow(RangeError);
  });
});
