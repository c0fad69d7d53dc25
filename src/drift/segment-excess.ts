// Where a rate's change is: each segment's share of the excess (observed − expected
// events), and whether the segment stands out from the rest of the traffic.
//
// Expected events of a segment: its window trials × its own baseline rate, shrunk toward
// the overall baseline rate by PRIOR_TRIALS pseudo-trials ((x_b + k·p0) / (n_b + k)), so a
// segment with no or little baseline traffic (a new model, a tag that appeared mid-incident)
// is held to the overall rate instead of to nothing. A segment stands out when its events
// are improbably many (or few, for a fall) for Poisson counts at its expectation scaled by
// the REST of the traffic's observed/expected ratio: a change everywhere lifts every segment
// alike, so none stands out, while a change in one segment does.
import { poissonLowerTail, poissonUpperTail } from "./poisson";

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
  /** The one-sided Poisson tail against the rest's lift, before any multiplicity correction. */
  pValue: number;
}

/**
 * The excess of every segment of ONE dimension (whose segments partition the traffic),
 * given the overall baseline rate p0. `up` says which way the rule's change went.
 */
export function segmentExcess(
  segments: readonly SegmentInput[],
  p0: number,
  up: boolean,
): SegmentExcess[] {
  const expectedOf = (s: SegmentInput) =>
    (s.trials * (s.baselineObserved + PRIOR_TRIALS * p0)) / (s.baselineTrials + PRIOR_TRIALS);
  const expected = segments.map(expectedOf);
  const observedTotal = segments.reduce((a, s) => a + s.observed, 0);
  const expectedTotal = expected.reduce((a, e) => a + e, 0);
  const totalExcess = observedTotal - expectedTotal;
  return segments.map((s, i) => {
    const e = expected[i] ?? 0;
    const restObserved = observedTotal - s.observed;
    const restExpected = expectedTotal - e;
    // The rest's lift; with no rest (a single segment), nothing to stand out from.
    const lift = restExpected > 0 ? restObserved / restExpected : 1;
    const mean = e * lift;
    const pValue =
      segments.length < 2
        ? 1
        : up
          ? poissonUpperTail(s.observed, mean)
          : poissonLowerTail(s.observed, mean);
    const excess = s.observed - e;
    const share = (up ? totalExcess > 0 : totalExcess < 0) ? excess / totalExcess : 0;
    return { expected: e, excess, share, pValue };
  });
}
