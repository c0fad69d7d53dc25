// The difference of two rates on concurrent traffic, stratified by minute: each minute in
// which both arms served compares the candidate's rate with the incumbent's of that same
// minute, weighted by w = n_A n_B / (n_A + n_B) (the minute's information, Cochran–
// Mantel–Haenszel weights for a risk difference). Anything that moves both arms in a
// minute (a provider outage, the daily rhythm) cancels, whatever share each minute had.
// The state is a handful of sums, so it adds minute by minute and stores as JSON.

export interface RateCounts {
  /** Events with the property (errors, thumbs-down, requests slower than the threshold). */
  x: number;
  /** Events that could have it. */
  n: number;
}

export interface DifferenceState {
  /** Σ w over minutes where both arms had events. */
  w: number;
  /** Σ w (p_B − p_A). */
  d: number;
  /** Σ w² / n_A and Σ w² / n_B: the variance's factors. */
  qa: number;
  qb: number;
  /** Totals in the compared minutes, per arm. */
  xa: number;
  na: number;
  xb: number;
  nb: number;
}

export const emptyDifference = (): DifferenceState => ({
  w: 0,
  d: 0,
  qa: 0,
  qb: 0,
  xa: 0,
  na: 0,
  xb: 0,
  nb: 0,
});

/** Adds one minute of both arms (returns a new state); a minute an arm missed adds nothing. */
export function addMinute(
  s: DifferenceState,
  incumbent: RateCounts,
  candidate: RateCounts,
): DifferenceState {
  const { x: xa, n: na } = incumbent;
  const { x: xb, n: nb } = candidate;
  if (!(na > 0 && nb > 0)) return s;
  if (xa < 0 || xa > na || xb < 0 || xb > nb) {
    throw new RangeError(`counts must satisfy 0 <= x <= n, got ${xa}/${na} and ${xb}/${nb}`);
  }
  const w = (na * nb) / (na + nb);
  return {
    w: s.w + w,
    d: s.d + w * (xb / nb - xa / na),
    qa: s.qa + (w * w) / na,
    qb: s.qb + (w * w) / nb,
    xa: s.xa + xa,
    na: s.na + na,
    xb: s.xb + xb,
    nb: s.nb + nb,
  };
}

export interface DifferenceEstimate {
  incumbentRate: number;
  candidateRate: number;
  /** Candidate minus incumbent, minute-stratified. */
  difference: number;
  /** Its variance, each arm's rate shrunk toward 1/2 ((x + 1) / (n + 2)) so 0/n still counts. */
  variance: number;
}

/** The estimate so far; null before a minute with both arms. */
export function estimate(s: DifferenceState): DifferenceEstimate | null {
  if (!(s.w > 0)) return null;
  const pa = (s.xa + 1) / (s.na + 2);
  const pb = (s.xb + 1) / (s.nb + 2);
  return {
    incumbentRate: s.xa / s.na,
    candidateRate: s.xb / s.nb,
    difference: s.d / s.w,
    variance: (pa * (1 - pa) * s.qa + pb * (1 - pb) * s.qb) / (s.w * s.w),
  };
}
