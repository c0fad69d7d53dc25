// Sequential detection of a distribution shift (latency, output length, eval scores) without
// assuming its shape: each minute's values are counted above (or below) fixed baseline quantiles,
// and each count stream is a Bernoulli CUSUM bank (src/drift/bernoulli-cusum.ts). The p50 stream
// sees a shift of the bulk, the p95 (or p5) stream a fattening tail; under no drift the
// exceedance rates are the baseline's own, whatever the distribution.
import {
  type BankAlarm,
  type BankState,
  type BernoulliBank,
  designBernoulliBank,
  initialBankState,
  RISE_ODDS_RATIOS,
  stepBernoulliBank,
} from "./bernoulli-cusum";

export type ShiftDirection = "up" | "down";

export interface ExceedanceStream {
  /** Baseline quantile the values are compared with. */
  quantile: number;
  /** "up" counts values above it, "down" values below it. */
  direction: ShiftDirection;
}

/** The streams watched for a metric that should not rise (latency) or fall (eval scores). */
export function exceedanceStreams(direction: ShiftDirection): ExceedanceStream[] {
  return direction === "up"
    ? [
        { quantile: 0.5, direction },
        { quantile: 0.95, direction },
      ]
    : [
        { quantile: 0.5, direction },
        { quantile: 0.05, direction },
      ];
}

export interface ExceedanceDetector {
  streams: ExceedanceStream[];
  banks: BernoulliBank[];
}

/**
 * One rise bank per stream on its exceedance rate `p0s[i]` (the baseline's share beyond the
 * stream's quantile, ~0.5 and ~0.05), the budget `arl0` split evenly across the streams.
 */
export function designExceedanceDetector(
  streams: readonly ExceedanceStream[],
  p0s: readonly number[],
  arl0: number,
  valuesPerStep: number,
): ExceedanceDetector {
  if (p0s.length !== streams.length) throw new RangeError("one baseline rate per stream");
  const banks = streams.map((_, i) =>
    designBernoulliBank({
      p0: p0s[i] ?? Number.NaN,
      oddsRatios: RISE_ODDS_RATIOS,
      arl0: arl0 * streams.length,
      trialsPerStep: valuesPerStep,
    }),
  );
  return { streams: [...streams], banks };
}

export function initialExceedanceState(d: ExceedanceDetector, step: number): BankState[] {
  return d.banks.map((b) => initialBankState(b, step));
}

/** Advances each stream with its count beyond the quantile out of `values` this step. */
export function stepExceedance(
  d: ExceedanceDetector,
  state: readonly BankState[],
  step: number,
  beyond: readonly number[],
  values: number,
): { state: BankState[]; alarm: (BankAlarm & { stream: number }) | null } {
  let alarm: (BankAlarm & { stream: number }) | null = null;
  const next = d.banks.map((bank, i) => {
    const r = stepBernoulliBank(
      bank,
      state[i] ?? initialBankState(bank, step),
      step,
      beyond[i] ?? 0,
      values,
    );
    if (
      r.alarm &&
      (alarm === null || r.alarm.statistic / r.alarm.threshold > alarm.statistic / alarm.threshold)
    ) {
      alarm = { ...r.alarm, stream: i };
    }
    return r.state;
  });
  return { state: next, alarm };
}
