// Sequential detection of a shift in a distribution from the values themselves: each value is
// replaced by its normal score against the baseline, s = Φ⁻¹(F0(v)) (van der Waerden), and a
// bank of Gaussian mean-shift CUSUMs watches the scores' per-minute sum. Under no drift the
// scores are N(0, 1) whatever the distribution's shape (F0(v) is uniform), and a shift that
// multiplies a lognormal metric by r moves every score by ln r / σ, the whole distribution's
// information: the exceedance streams (exceedance-cusum.ts) see only the three cells between
// the baseline's median and p95 (0.053 of 0.069 nats a value for output tokens × 1.25).
// Scores are read from a sketch's bins (1 % wide): each baseline bin scores at its mid-rank,
// standardised over the baseline so that the baseline's own scores have mean 0 and variance 1.
import {
  advanceBank,
  armThreshold,
  type BankAlarm,
  type BankState,
  initialBankState,
} from "./bernoulli-cusum";
import { normalCdf } from "./normal";
import { normalQuantile } from "./normal-quantile";

/** Shifts of the bank's arms, in standard deviations of the scores (a factor 2 apart). */
export const SCORE_SHIFTS = [0.125, 0.25, 0.5, 1, 2] as const;

export interface ScoreTable {
  /** Baseline bin values, ascending, and the values at or below each. */
  values: number[];
  atOrBelow: number[];
  /** Standardised score of each baseline bin. */
  scores: number[];
  total: number;
  /** Mean and standard deviation of the raw mid-rank scores over the baseline. */
  mean: number;
  sd: number;
}

/**
 * The baseline's score table from its bins (values ascending, their counts). Ranks are clamped
 * half a value inside (0, 1), so a value beyond everything the baseline saw scores
 * Φ⁻¹(1 − 1/(2n)): about 4.4 at n = 100,000, bounded.
 */
export function normalScoreTable(values: readonly number[], counts: readonly number[]): ScoreTable {
  if (values.length !== counts.length) throw new RangeError("one count per value");
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError("the baseline holds no values");
  const atOrBelow: number[] = [];
  const raw: number[] = [];
  let cum = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const c = counts[i] ?? 0;
    raw.push(rawScore(cum + c / 2, total));
    cum += c;
    atOrBelow.push(cum);
    sum += c * (raw[i] ?? 0);
  }
  const mean = sum / total;
  let square = 0;
  for (let i = 0; i < raw.length; i++) square += (counts[i] ?? 0) * ((raw[i] ?? 0) - mean) ** 2;
  // One distinct value has no spread: its scores stay 0, and the bank sees nothing move.
  const sd = Math.sqrt(square / total) || 1;
  const scores = raw.map((r) => (r - mean) / sd);
  return { values: [...values], atOrBelow, scores, total, mean, sd };
}

function rawScore(rank: number, total: number): number {
  const half = 0.5 / total;
  return normalQuantile(Math.min(1 - half, Math.max(half, rank / total)));
}

/** The standardised score of a value: its bin's, or from the baseline's CDF between bins. */
export function normalScore(t: ScoreTable, value: number): number {
  let lo = 0;
  let hi = t.values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t.values[mid] ?? Number.POSITIVE_INFINITY) < value) lo = mid + 1;
    else hi = mid;
  }
  if (t.values[lo] === value) return t.scores[lo] ?? 0;
  const below = lo === 0 ? 0 : (t.atOrBelow[lo - 1] ?? 0);
  return (rawScore(below, t.total) - t.mean) / t.sd;
}

/** Sum of the scores of `counts[i]` values at `values[i]`, signed so a rise is positive. */
export function scoreSum(
  t: ScoreTable,
  values: readonly number[],
  counts: readonly number[],
  direction: "up" | "down",
): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0) sum += c * normalScore(t, values[i] ?? 0);
  }
  return direction === "up" ? sum : -sum;
}

export interface ScoreArm {
  /** The arm's shift of the mean score, in standard deviations. */
  shift: number;
  /** The share beyond the baseline median that shift implies (for messages and episodes). */
  p1: number;
  threshold: number;
}

export interface ScoreBank {
  /** The baseline's share beyond its median (≈ 0.5): what the arms' p1 are relative to. */
  p0: number;
  arms: ScoreArm[];
}

export interface ScoreBankDesign {
  p0: number;
  shifts: readonly number[];
  /** Mean steps between false alarms for the whole bank. */
  arl0: number;
  /** Expected values per step (Poisson). */
  valuesPerStep: number;
}

/**
 * Each arm's threshold for arl0 × arms steps (the bank's alarm rates add). A step of n scores
 * adds δ·S − n·δ²/2, the log-likelihood ratio of N(δ, 1) against N(0, 1): drift n·δ²/2 and
 * standard deviation δ·√n under no change, so the thresholds come from armThreshold as the
 * Bernoulli arms' do (Siegmund's approximation, Lorden's e^h bound where a minute's batch is
 * coarse).
 */
export function designScoreBank(d: ScoreBankDesign): ScoreBank {
  if (!(d.p0 > 0 && d.p0 < 1)) throw new RangeError(`p0 must be in (0, 1), got ${d.p0}`);
  if (!(d.valuesPerStep > 0)) throw new RangeError("valuesPerStep must be positive");
  if (d.shifts.length === 0) throw new RangeError("a bank needs at least one shift");
  const arms = d.shifts.map((shift) => {
    if (!(shift > 0)) throw new RangeError(`shift must be positive, got ${shift}`);
    const mu0 = (d.valuesPerStep * shift * shift) / 2;
    const sd = shift * Math.sqrt(d.valuesPerStep);
    return {
      shift,
      p1: normalCdf(normalQuantile(d.p0) + shift),
      threshold: armThreshold(d.arl0 * d.shifts.length, mu0, sd),
    };
  });
  return { p0: d.p0, arms };
}

export function initialScoreState(bank: ScoreBank, step: number): BankState {
  return initialBankState(bank, step);
}

/**
 * Advances every arm by one step of `values` scores summing to `sum`; `beyond` of them lay
 * beyond the baseline median, counted into each run so its share estimates the new rate. Returns
 * the new state and the alarm of the arm furthest past its threshold (relative), if any.
 */
export function stepScoreBank(
  bank: ScoreBank,
  state: BankState,
  step: number,
  sum: number,
  values: number,
  beyond: number,
): { state: BankState; alarm: BankAlarm | null } {
  if (!(Number.isInteger(values) && values >= 0 && Number.isFinite(sum))) {
    throw new RangeError(`a step needs a finite sum of an integer count, got ${sum} of ${values}`);
  }
  return advanceBank(
    bank,
    state,
    step,
    (arm, statistic) => statistic + arm.shift * sum - (values * arm.shift * arm.shift) / 2,
    beyond,
    values,
  );
}
