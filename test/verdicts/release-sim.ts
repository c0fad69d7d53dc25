// Simulated concurrent traffic for release analyses: per minute, each arm's events split
// by share, each signal's count a binomial draw from its rate (times a shared shock, when
// one is running, on both arms alike).
import type { ArmMinute } from "../../src/verdicts";
import { seededRandom } from "../sample-values";

export interface ReleaseScenario {
  perMinute: number;
  share: number;
  /** Per signal: [incumbent rate, candidate rate]. */
  rates: Record<string, [number, number]>;
  /** Multiplies every rate of both arms during [from, to) minutes. */
  shock?: { from: number; to: number; factor: number };
}

function binomial(random: () => number, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (random() < p) x += 1;
  return x;
}

/** A Poisson draw (Knuth's; fine for the small means simulated here). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

/** Minute i of a release that started at `start`. */
export function simulateMinutes(
  s: ReleaseScenario,
  seed: number,
  start: number,
): (i: number) => ArmMinute {
  const random = seededRandom(seed);
  return (i) => {
    const candidateN = poisson(random, s.perMinute * s.share);
    const incumbentN = poisson(random, s.perMinute * (1 - s.share));
    const factor = s.shock && i >= s.shock.from && i < s.shock.to ? s.shock.factor : 1;
    const incumbent: ArmMinute["incumbent"] = {};
    const candidate: ArmMinute["candidate"] = {};
    for (const [signal, [pa, pb]] of Object.entries(s.rates)) {
      incumbent[signal] = {
        x: binomial(random, incumbentN, Math.min(1, pa * factor)),
        n: incumbentN,
      };
      candidate[signal] = {
        x: binomial(random, candidateN, Math.min(1, pb * factor)),
        n: candidateN,
      };
    }
    return {
      minute: start + i * 60_000,
      requests: { incumbent: incumbentN, candidate: candidateN },
      incumbent,
      candidate,
    };
  };
}
