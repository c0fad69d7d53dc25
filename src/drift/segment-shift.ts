// Where a distribution's change is: each segment's shift of the mean of ln(1 + value) from
// its own baseline, its share of the dimension's total shift (values × shift), and whether
// it stands out from the rest of the traffic.
//
// A segment's baseline mean is shrunk toward the dimension's overall baseline mean by
// PRIOR_VALUES pseudo-values ((n_b·m_b + k·M0) / (n_b + k)), so a segment new in the window
// is held to the overall baseline instead of to nothing. A segment stands out when its shift
// exceeds the rest's by improbably much: a change everywhere shifts every segment alike and
// none stands out, while a change in one segment does. The test is on the difference of the
// two shifts, whose variance adds each mean's sampling variance (s²/n) and that of each
// shrunk baseline mean (pooled s² / (n_b + k)): a normal approximation, good from the
// handful of values per segment a window holds up (a log scale tames latency's tail).
import { normalSf } from "./normal";

/** Pseudo-values of the overall baseline mean added to each segment's own baseline. */
export const PRIOR_VALUES = 10;
/** Variance floor on the log scale: a segment of identical values still has some spread. */
const MIN_VARIANCE = 1e-4;

export interface ShiftInput {
  /** Values, mean and variance of ln(1 + v) in the window and in the baseline. */
  n: number;
  mean: number;
  variance: number;
  baselineN: number;
  baselineMean: number;
  baselineVariance: number;
}

export interface SegmentShift {
  /** The segment's (shrunk) baseline mean of ln(1 + v). */
  expectedMean: number;
  /** n × (mean − expectedMean): the segment's part of the total shift. */
  excess: number;
  /** excess ÷ the dimension's total (0 when that is not in the change's direction). */
  share: number;
  /** One-sided p that the segment's shift exceeds the rest's, before any correction. */
  pValue: number;
}

/**
 * The shift of every segment of ONE dimension (its segments partition the traffic).
 * `relative` tests the ratio of the means to their baselines instead of their difference
 * (the log of the segment's ratio minus the rest's, the delta method on each mean): for a
 * cost, where a price rise everywhere multiplies every segment's mean alike and adds most
 * to the dearest; the shares stay those of n × shift.
 */
export function segmentShift(
  segments: readonly ShiftInput[],
  up: boolean,
  relative = false,
): SegmentShift[] {
  const k = PRIOR_VALUES;
  const nb = segments.reduce((a, s) => a + s.baselineN, 0);
  const m0 = nb > 0 ? segments.reduce((a, s) => a + s.baselineN * s.baselineMean, 0) / nb : 0;
  const v0 =
    nb > 0
      ? segments.reduce(
          (a, s) => a + s.baselineN * (s.baselineVariance + (s.baselineMean - m0) ** 2),
          0,
        ) / nb
      : MIN_VARIANCE;
  const rows = segments.map((s) => {
    const expectedMean = (s.baselineN * s.baselineMean + k * m0) / (s.baselineN + k);
    const pooled = (s.baselineN * s.baselineVariance + k * v0) / (s.baselineN + k);
    const shift = s.n > 0 ? s.mean - expectedMean : 0;
    const ofMean = s.n > 0 ? Math.max(MIN_VARIANCE, s.variance) / s.n : 0;
    const ofExpected = s.n > 0 ? pooled / (s.baselineN + k) : 0;
    return { expectedMean, shift, ofMean, ofExpected, n: s.n, mean: s.mean };
  });
  const total = rows.reduce((a, r) => a + r.n * r.shift, 0);
  return rows.map((r, i) => {
    const rest = restOf(rows, i);
    const pValue = relative ? relativeP(r, rest, up) : differenceP(r, rest, up);
    const excess = r.n * r.shift;
    const share = (up ? total > 0 : total < 0) ? excess / total : 0;
    return { expectedMean: r.expectedMean, excess, share, pValue };
  });
}

interface ShiftRow {
  n: number;
  mean: number;
  expectedMean: number;
  shift: number;
  /** Sampling variances of the window's mean and of the (shrunk) baseline mean. */
  ofMean: number;
  ofExpected: number;
}

/** Every row but row i with values, as one: means weighted by values, their variances too. */
function restOf(rows: readonly ShiftRow[], i: number): ShiftRow {
  const rest = { n: 0, mean: 0, expectedMean: 0, shift: 0, ofMean: 0, ofExpected: 0 };
  rows.forEach((o, j) => {
    if (j === i || o.n === 0) return;
    rest.n += o.n;
    rest.mean += o.n * o.mean;
    rest.expectedMean += o.n * o.expectedMean;
    rest.shift += o.n * o.shift;
    rest.ofMean += o.n * o.n * o.ofMean;
    rest.ofExpected += o.n * o.n * o.ofExpected;
  });
  const n = rest.n || 1;
  return {
    n: rest.n,
    mean: rest.mean / n,
    expectedMean: rest.expectedMean / n,
    shift: rest.shift / n,
    ofMean: rest.ofMean / n ** 2,
    ofExpected: rest.ofExpected / n ** 2,
  };
}

/** One-sided p that the row's shift exceeds the rest's (their difference). */
function differenceP(r: ShiftRow, rest: ShiftRow, up: boolean): number {
  if (r.n < 2 || rest.n < 2) return 1;
  const d = r.shift - rest.shift;
  const se = Math.sqrt(r.ofMean + r.ofExpected + rest.ofMean + rest.ofExpected);
  return normalSf((up ? d : -d) / se);
}

/** One-sided p that the row's mean ÷ its baseline exceeds the rest's (the log of the two ratios). */
function relativeP(r: ShiftRow, rest: ShiftRow, up: boolean): number {
  const positive = r.mean > 0 && r.expectedMean > 0 && rest.mean > 0 && rest.expectedMean > 0;
  if (r.n < 2 || rest.n < 2 || !positive) return 1;
  const d = Math.log(r.mean / r.expectedMean) - Math.log(rest.mean / rest.expectedMean);
  const se = Math.sqrt(
    r.ofMean / r.mean ** 2 +
      r.ofExpected / r.expectedMean ** 2 +
      rest.ofMean / rest.mean ** 2 +
      rest.ofExpected / rest.expectedMean ** 2,
  );
  return normalSf((up ? d : -d) / se);
}
