// A bank of Bernoulli CUSUMs over per-minute counts (x successes of n trials) for a rate whose
// value after a change is unknown: one Page CUSUM per alternative odds ratio, each with its
// threshold from the false-alarm budget (Siegmund's approximation, src/drift/cusum-arl.ts, where
// it holds; Lorden's exact bound ARL0 >= e^h where a minute's batch is too coarse for it).
// A CUSUM tuned to p1 detects a change to p1 in about log(ARL0) / KL(p1 || p0) trials
// (Lorden 1971: no detector with the same false-alarm rate is faster); a grid of alternatives
// keeps any real p1 close to one of them, at the price of splitting the budget across the bank.
import { cusumThreshold } from "./cusum-arl";

/** Odds ratios of the default bank for a rise; 1 / these for a fall. */
export const RISE_ODDS_RATIOS = [1.25, 1.5, 2, 3, 5] as const;

/**
 * Once alarmed, a statistic is held at most this many thresholds high, so that after the rate
 * returns to p0 the alarm clears in about as many minutes as it took to raise, not in days.
 */
const CAP = 2;

export interface BernoulliArm {
  p1: number;
  /** ln(p1 / p0): the log-likelihood ratio of one success. */
  success: number;
  /** ln((1 - p1) / (1 - p0)): that of one failure. */
  failure: number;
  threshold: number;
}

export interface BernoulliBank {
  p0: number;
  arms: BernoulliArm[];
}

export interface BankDesign {
  p0: number;
  /** Alternatives as odds ratios p1 / (1 - p1) over p0 / (1 - p0); > 1 detects a rise. */
  oddsRatios: readonly number[];
  /** Mean steps between false alarms for the whole bank (e.g. 43,200 minutes = 30 days). */
  arl0: number;
  /** Expected trials per step (per minute), Poisson-distributed. */
  trialsPerStep: number;
}

function checkProbability(name: string, p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`${name} must be in (0, 1), got ${p}`);
}

/** KL(p || q) between Bernoulli distributions, in nats. */
export function bernoulliKl(p: number, q: number): number {
  checkProbability("q", q);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const a = p > 0 ? p * Math.log(p / q) : 0;
  const b = p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0;
  return a + b;
}

/** p1 with the given odds ratio over p0. */
export function withOddsRatio(p0: number, ratio: number): number {
  const odds = (p0 / (1 - p0)) * ratio;
  return odds / (1 + odds);
}

/**
 * Thresholds for each arm so the bank alarms about once every `arl0` steps under p0: each arm
 * gets arl0 x arms (alarm rates add, 1/ARL = sum 1/ARL_i, and overlapping alarms only help).
 */
export function designBernoulliBank(design: BankDesign): BernoulliBank {
  const { p0, oddsRatios, arl0, trialsPerStep } = design;
  checkProbability("p0", p0);
  if (oddsRatios.length === 0) throw new RangeError("a bank needs at least one alternative");
  if (!(trialsPerStep > 0))
    throw new RangeError(`trialsPerStep must be positive, got ${trialsPerStep}`);
  const arms = oddsRatios.map((ratio) => {
    if (!(ratio > 0) || ratio === 1)
      throw new RangeError(`odds ratio must be > 0 and not 1, got ${ratio}`);
    const p1 = withOddsRatio(p0, ratio);
    const success = Math.log(p1 / p0);
    const failure = Math.log((1 - p1) / (1 - p0));
    // Per trial under p0: E[z] = -KL(p0 || p1), E[z^2] = p0 success^2 + (1 - p0) failure^2;
    // a Poisson number of trials per step makes the step's variance trials x E[z^2].
    const mu0 = trialsPerStep * bernoulliKl(p0, p1);
    const sd = Math.sqrt(trialsPerStep * (p0 * success ** 2 + (1 - p0) * failure ** 2));
    return { p1, success, failure, threshold: armThreshold(arl0 * oddsRatios.length, mu0, sd) };
  });
  return { p0, arms };
}

/**
 * Per-step standard deviations from which Siegmund's diffusion correction (b = h + 1.166 sd) is
 * no longer trusted: a minute's batch then moves the statistic by several nats at once, and the
 * formula overstates the ARL (p0 = 0.5, odds ratio 3, 100 trials a minute, sd 5.7: true ARL
 * 0.22x the target). Every arm of the default banks that fell short has sd >= 2.
 */
export const DIFFUSION_SD_LIMIT = 1;

/**
 * Siegmund's formula is solved for this multiple of the budget: on the exact law of a minute's
 * counts (bench/detection-arl.mjs, a Markov chain with 20 cells a minute's sd) its arms come out
 * at 1.07x their target or more where it is used; 1.25 costs 0.22 nats of threshold, about 2 %
 * of the delay.
 */
export const SIEGMUND_MARGIN = 1.25;

/**
 * The arm's threshold for an in-control ARL of `arl0` steps. For an LLR CUSUM each excursion
 * from 0 reaches h with probability at most e^-h (Wald's likelihood-ratio identity), so the
 * ARL is at least e^h whatever the increments' law (Lorden 1971): h = ln(arl0) holds the budget
 * exactly for batched and discrete steps, at the price of a few nats more than needed. It is
 * used where the diffusion approximation is out of its regime, and never below it.
 */
export function armThreshold(arl0: number, mu0: number, sd: number): number {
  const siegmund = cusumThreshold(arl0 * SIEGMUND_MARGIN, mu0, sd);
  return sd < DIFFUSION_SD_LIMIT ? siegmund : Math.max(siegmund, Math.log(arl0));
}

export interface ArmState {
  statistic: number;
  /** First step of the current run (the step after the statistic was last 0). */
  start: number;
  /** Successes and trials since `start`: their ratio estimates the new rate. */
  successes: number;
  trials: number;
}

export type BankState = ArmState[];

/** A run that starts at `step`: statistic 0, nothing counted. */
const freshArm = (step: number): ArmState => ({
  statistic: 0,
  start: step,
  successes: 0,
  trials: 0,
});

/** Every arm of a bank (Bernoulli or normal-score) at 0, its run starting at `step`. */
export function initialBankState(bank: { arms: readonly unknown[] }, step: number): BankState {
  return bank.arms.map(() => freshArm(step));
}

export interface BankAlarm {
  arm: number;
  statistic: number;
  threshold: number;
  /** Estimated first step after the change. */
  changeStep: number;
  /** The rate since then (successes / trials), p0 when no trials arrived. */
  estimate: number;
}

/**
 * Advances every arm by one step with `successes` of `trials` at step `step`; returns the new
 * state and the alarm of the arm furthest past its threshold (relative), if any.
 */
export function stepBernoulliBank(
  bank: BernoulliBank,
  state: BankState,
  step: number,
  successes: number,
  trials: number,
): { state: BankState; alarm: BankAlarm | null } {
  if (!(Number.isInteger(trials) && trials >= 0 && Number.isInteger(successes))) {
    throw new RangeError(`counts must be integers, got ${successes} of ${trials}`);
  }
  if (successes < 0 || successes > trials) {
    throw new RangeError(`successes must be in [0, trials], got ${successes} of ${trials}`);
  }
  return advanceBank(
    bank,
    state,
    step,
    (arm, statistic) => statistic + (successes * arm.success + (trials - successes) * arm.failure),
    successes,
    trials,
  );
}

/**
 * One step of a bank of CUSUMs, whatever their increments: `moved` gives an arm's statistic
 * after the step (the last plus the step's log-likelihood ratio for that arm). At or below 0
 * the arm restarts (its run from the next step); above, it is held at most CAP thresholds high
 * and its run adds `successes` of `trials`. Returns the new state and the alarm of the arm
 * furthest past its threshold (relative), if any. The Bernoulli and the normal-score banks
 * (normal-score-cusum.ts) differ only in `moved`.
 */
export function advanceBank<A extends { threshold: number }>(
  bank: { p0: number; arms: readonly A[] },
  state: BankState,
  step: number,
  moved: (arm: A, statistic: number) => number,
  successes: number,
  trials: number,
): { state: BankState; alarm: BankAlarm | null } {
  let alarm: BankAlarm | null = null;
  const next = bank.arms.map((arm, i) => {
    const prev = state[i] ?? freshArm(step);
    const raw = moved(arm, prev.statistic);
    const s: ArmState =
      raw <= 0
        ? freshArm(step + 1)
        : {
            statistic: Math.min(raw, CAP * arm.threshold),
            start: prev.start,
            successes: prev.successes + successes,
            trials: prev.trials + trials,
          };
    if (s.statistic >= arm.threshold && s.statistic > 0) {
      const excess = s.statistic / arm.threshold;
      if (alarm === null || excess > alarm.statistic / alarm.threshold) {
        alarm = {
          arm: i,
          statistic: s.statistic,
          threshold: arm.threshold,
          changeStep: s.start,
          estimate: s.trials > 0 ? s.successes / s.trials : bank.p0,
        };
      }
    }
    return s;
  });
  return { state: next, alarm };
}
