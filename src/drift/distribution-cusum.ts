// The sequential detector of a distribution metric: the exceedance streams (the share beyond the
// baseline's median and p95, or p5 going down: exceedance-cusum.ts) and the normal-score bank on
// the values themselves (normal-score-cusum.ts), one false-alarm budget split evenly across the
// three. The score bank is the last stream; it counts its runs' values beyond the median (the
// first stream's edge), so its alarms read, and are held, as that stream's would be.
import {
  type BankAlarm,
  type BankState,
  type BernoulliBank,
  initialBankState,
  stepBernoulliBank,
} from "./bernoulli-cusum";
import { designExceedanceDetector, type ExceedanceStream } from "./exceedance-cusum";
import {
  designScoreBank,
  initialScoreState,
  SCORE_SHIFTS,
  type ScoreBank,
  stepScoreBank,
} from "./normal-score-cusum";

export interface DistributionDetector {
  streams: ExceedanceStream[];
  /** One bank per exceedance stream. */
  exceedance: BernoulliBank[];
  scores: ScoreBank;
  /** Every bank in stream order: the exceedance banks, then the score bank (for readers). */
  banks: (BernoulliBank | ScoreBank)[];
}

/** The detector for exceedance rates `p0s` (p0s[0]: beyond the median) and `valuesPerStep`. */
export function designDistributionDetector(
  streams: readonly ExceedanceStream[],
  p0s: readonly number[],
  arl0: number,
  valuesPerStep: number,
): DistributionDetector {
  const share = arl0 * ((streams.length + 1) / streams.length);
  const { banks: exceedance } = designExceedanceDetector(streams, p0s, share, valuesPerStep);
  const scores = designScoreBank({
    p0: p0s[0] ?? 0.5,
    shifts: SCORE_SHIFTS,
    arl0: arl0 * (streams.length + 1),
    valuesPerStep,
  });
  return { streams: [...streams], exceedance, scores, banks: [...exceedance, scores] };
}

export function initialDistributionState(d: DistributionDetector, step: number): BankState[] {
  return [...d.exceedance.map((b) => initialBankState(b, step)), initialScoreState(d.scores, step)];
}

/**
 * One step: `beyond[i]` of `values` beyond stream i's edge, and the values' score sum (signed so
 * a rise in the watched direction is positive). The alarm is the stream furthest past its
 * threshold, relative.
 */
export function stepDistribution(
  d: DistributionDetector,
  state: readonly BankState[],
  step: number,
  beyond: readonly number[],
  values: number,
  scoreSum: number,
): { state: BankState[]; alarm: (BankAlarm & { stream: number }) | null } {
  const results = d.exceedance.map((bank, i) =>
    stepBernoulliBank(bank, state[i] ?? initialBankState(bank, step), step, beyond[i] ?? 0, values),
  );
  const last = d.exceedance.length;
  results.push(
    stepScoreBank(
      d.scores,
      state[last] ?? initialScoreState(d.scores, step),
      step,
      scoreSum,
      values,
      beyond[0] ?? 0,
    ),
  );
  let alarm: (BankAlarm & { stream: number }) | null = null;
  results.forEach((r, i) => {
    if (
      r.alarm &&
      (alarm === null || r.alarm.statistic / r.alarm.threshold > alarm.statistic / alarm.threshold)
    ) {
      alarm = { ...r.alarm, stream: i };
    }
  });
  return { state: results.map((r) => r.state), alarm };
}
