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
    const variance = ofMean + ofExpected;
    return { expectedMean, shift, variance, ofMean, ofExpected, n: s.n, mean: s.mean };
  });
  const total = rows.reduce((a, r) => a + r.n * r.shift, 0);
  return rows.map((r, i) => {
    let pValue = 1;
    let restN = 0;
    let restShift = 0;
    let restVariance = 0;
    rows.forEach((o, j) => {
      if (j === i || o.n === 0) return;
      restN += o.n;
      restShift += o.n * o.shift;
      restVariance += o.n * o.n * o.variance;
    });
    if (relative) pValue = relativeP(rows, i, up);
    else if (r.n >= 2 && restN >= 2) {
      const d = r.shift - restShift / restN;
      const se = Math.sqrt(r.variance + restVariance / (restN * restN));
      pValue = normalSf((up ? d : -d) / se);
    }
    const excess = r.n * r.shift;
    const share = (up ? total > 0 : total < 0) ? excess / total : 0;
    return { expectedMean: r.expectedMean, excess, share, pValue };
  });
}

interface ShiftRow {
  n: number;
  mean: number;
  expectedMean: number;
  /** Sampling variances of the window's mean and of the (shrunk) baseline mean. */
  ofMean: number;
  ofExpected: number;
}

/** One-sided p that row i's mean ÷ its baseline exceeds the rest's (the log of the two ratios). */
function relativeP(rows: readonly ShiftRow[], i: number, up: boolean): number {
  const r = rows[i];
  let n = 0;
  let mean = 0;
  let expected = 0;
  let ofMean = 0;
  let ofExpected = 0;
  rows.forEach((o, j) => {
    if (j === i || o.n === 0) return;
    n += o.n;
    mean += o.n * o.mean;
    expected += o.n * o.expectedMean;
    ofMean += o.n * o.n * o.ofMean;
    ofExpected += o.n * o.n * o.ofExpected;
  });
  if (!r || r.n < 2 || n < 2 || r.mean <= 0 || r.expectedMean <= 0 || mean <= 0 || expected <= 0)
    return 1;
  const d = Math.log(r.mean / r.expectedMean) - Math.log(mean / expected);
  const se = Math.sqrt(
    r.ofMean / r.mean ** 2 +
      r.ofExpected / r.expectedMean ** 2 +
      ofMean / mean ** 2 +
      ofExpected / expected ** 2,
  );
  return normalSf((up ? d : -d) / se);
}
