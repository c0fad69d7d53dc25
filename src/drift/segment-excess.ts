// Where a rate's change is: each segment's share of the excess (observed − expected
// events), and whether the segment stands out from the rest of the traffic.
//
// Expected events of a segment: its window trials × its own baseline rate, shrunk toward
// the overall baseline rate by PRIOR_TRIALS pseudo-trials ((x_b + k·p0) / (n_b + k)), so a
// segment with no or little baseline traffic (a new model, a tag that appeared mid-incident)
// is held to the overall rate instead of to nothing. A segment stands out when its
// observed/expected ratio is improbably far above (below, for a fall) the REST of the
// traffic's: a change everywhere lifts every segment alike, so none stands out, while a
// change in one segment does. The test is on the log of the ratio of the two ratios, whose
// variance adds the window's Poisson counts (1/O) and the baseline's uncertainty in each
// expectation (Σ trials²·x_b/(n_b + k)² over E²), the delta method on the log scale;
// leaving the baseline's share out made a change everywhere name a segment 13 % of the time.
import { normalSf } from "./normal";

/** Pseudo-trials of the overall baseline rate added to each segment's own baseline. */
export const PRIOR_TRIALS = 10;

export interface SegmentInput {
  /** Events (thumbs-down, errors) and trials in the window. */
  observed: number;
  trials: number;
  baselineObserved: number;
  baselineTrials: number;
}

export interface SegmentExcess {
  expected: number;
  /** observed − expected. */
  excess: number;
  /** excess ÷ the total excess of the segments' dimension (0 when that is not in the change's direction). */
  share: number;
  /** One-sided p that the segment's lift exceeds the rest's, before any multiplicity correction. */
  pValue: number;
}

/**
 * The excess of every segment of ONE dimension (whose segments partition the traffic),
 * given the overall baseline rate p0. `up` says which way the rule's change went.
 * `priorTrials` 0 holds each segment to its own baseline share alone (traffic: a segment's
 * share of the expected requests, the test then that of the window's mix against the
 * baseline's, a log odds ratio).
 */
export function segmentExcess(
  segments: readonly SegmentInput[],
  p0: number,
  up: boolean,
  priorTrials = PRIOR_TRIALS,
): SegmentExcess[] {
  const k = priorTrials;
  const over = (s: SegmentInput) => s.baselineTrials + k || 1;
  const expected = segments.map((s) => (s.trials * (s.baselineObserved + k * p0)) / over(s));
  // Variance of each expectation from the baseline's own events (p0 counts as known).
  const variance = segments.map((s) => (s.trials ** 2 * s.baselineObserved) / over(s) ** 2);
  const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);
  const observedTotal = sum(segments.map((s) => s.observed));
  const expectedTotal = sum(expected);
  const varianceTotal = sum(variance);
  const totalExcess = observedTotal - expectedTotal;
  return segments.map((s, i) => {
    const e = expected[i] ?? 0;
    const v = variance[i] ?? 0;
    const restObserved = observedTotal - s.observed;
    const restExpected = expectedTotal - e;
    let pValue = 1;
    if (segments.length >= 2 && e > 0 && restExpected > 0) {
      // 0.5 added to the observed counts keeps the logs finite at 0.
      const logRatio =
        Math.log((s.observed + 0.5) / e) - Math.log((restObserved + 0.5) / restExpected);
      const se = Math.sqrt(
        1 / (s.observed + 0.5) +
          v / e ** 2 +
          1 / (restObserved + 0.5) +
          (varianceTotal - v) / restExpected ** 2,
      );
      pValue = normalSf((up ? logRatio : -logRatio) / se);
    }
    const excess = s.observed - e;
    const share = (up ? totalExcess > 0 : totalExcess < 0) ? excess / totalExcess : 0;
    return { expected: e, excess, share, pValue };
  });
}
