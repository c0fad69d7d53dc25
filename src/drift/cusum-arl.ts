// Average run length of a log-likelihood-ratio CUSUM before a false alarm (Siegmund's corrected
// diffusion approximation), and the threshold that buys a given false-alarm budget.
//
// A CUSUM S_t = max(0, S_{t-1} + Z_t) alarms when S_t >= h. When Z_t is a log-likelihood
// ratio, E0[exp Z] = 1 and, before any change, Siegmund (1985, Sequential Analysis: Tests
// and Confidence Intervals) gives ARL0 ~ (exp(b) - 1 - b) / mu0 with b = h + 1.166 sd, where
// mu0 = -E0[Z] (the Kullback-Leibler divergence per step) and sd the increment's standard deviation: 1.166 =
// 2 x 0.583 corrects for overshooting both the reflecting barrier and h. For the normal CUSUM
// (k = 0.5, shift 1 sd) it gives 338 and 938 at h = 4 and 5, against exact one-sided values
// of 336 and 930 (Montgomery's two-sided 168 and 465 are their halves).

const OVERSHOOT = 1.166;

function check(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be positive, got ${v}`);
}

/**
 * Siegmund's approximation of the in-control ARL (steps) of an LLR CUSUM with threshold h,
 * per-step drift mu0 = KL(P0 || P1) > 0 and per-step standard deviation sd of the increment.
 */
export function siegmundArl0(h: number, mu0: number, sd: number): number {
  check("mu0", mu0);
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`sd must be >= 0, got ${sd}`);
  if (!(h >= 0) || !Number.isFinite(h)) throw new RangeError(`h must be >= 0, got ${h}`);
  const b = h + OVERSHOOT * sd;
  // exp(b) - 1 - b loses digits for small b; its series is b^2/2 + b^3/6 + ...
  const excess = b < 1e-4 ? (b * b) / 2 : Math.expm1(b) - b;
  return excess / mu0;
}

/**
 * The threshold h at which siegmundArl0(h, mu0, sd) = arl0: alarms under no change come on
 * average once every arl0 steps. Never below 0; found by bisection on the monotone formula.
 */
export function cusumThreshold(arl0: number, mu0: number, sd: number): number {
  check("arl0", arl0);
  if (siegmundArl0(0, mu0, sd) >= arl0) return 0;
  let lo = 0;
  let hi = 1;
  while (siegmundArl0(hi, mu0, sd) < arl0) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-10 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (siegmundArl0(mid, mu0, sd) < arl0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Page's two-sided ARL from one-sided ones, 1/ARL = 1/ARL+ + 1/ARL- (the usual relation
 * for a two-sided CUSUM, as in Montgomery's Introduction to Statistical Quality Control): also how a bank of CUSUMs adds its alarm rates.
 */
export function combinedArl(arls: readonly number[]): number {
  let rate = 0;
  for (const a of arls) {
    check("arl", a);
    rate += 1 / a;
  }
  return 1 / rate;
}
