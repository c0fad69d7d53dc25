// A rate's hour-of-day profile, pure: how much higher or lower than its mean a rate runs at each
// time of day, so a sequential detector can compare each minute with the same time of day
// instead of with a flat 7-day mean (which reads every afternoon of a rhythmic rate as a change).
//
// The week's counts are pooled by hour of day (successes x_h of trials n_h, h = 0..23) and the
// rate is fitted as p(t) = β·z(t), z = (1, cos ωt, sin ωt, cos 2ωt, sin 2ωt) with ω one turn a
// day, by weighted least squares with Var x_h ∝ n_h (binomial counts at a common rate). Every
// coefficient is estimated from the whole week, so the profile costs a few parameters' worth of
// estimation error, not 24 separate hourly means'. The profile is used only when its harmonics
// are significant (a chi-squared test of all four against zero at PROFILE_ALPHA): on a rate with
// no rhythm the flat mean, and its calibration, stay as they were.
//
// A fitted profile is noisier than the flat mean (relative variance ≈ (1 + 2K)/x against 1/x
// for x successes in the week, K harmonics), and a CUSUM is sensitive to an underestimated p0.
// So the profile's factor is raised by its extra standard error, the square root of the
// difference between the two variances averaged over the day: its estimation error does not
// spend the false-alarm budget the thresholds were designed for.
import { chi2Sf } from "./chi-squared-distribution";

/** Harmonics of the day fitted (2: a daily swing and a twice-daily one). */
export const PROFILE_HARMONICS = 2;
/** Level of the test that the rate has a daily rhythm at all. */
export const PROFILE_ALPHA = 1e-3;
/** A profile never moves the baseline rate by more than this factor either way. */
const FACTOR_LIMIT = 10;

export interface HourOfDayCounts {
  /** Hour of day, 0..23 (UTC). */
  hour: number;
  successes: number;
  trials: number;
}

export interface DailyProfile {
  /**
   * Coefficients of z(t) relative to the pooled rate: the factor at t is coefficients·z(t). The
   * first (the level) includes `margin`.
   */
  coefficients: number[];
  /** The extra standard error added to the level. */
  margin: number;
  /** The chi-squared statistic of the harmonics and its p-value. */
  chi2: number;
  p: number;
}

const features = (dayFraction: number): number[] => {
  const z = [1];
  for (let k = 1; k <= PROFILE_HARMONICS; k++) {
    const a = 2 * Math.PI * k * dayFraction;
    z.push(Math.cos(a), Math.sin(a));
  }
  return z;
};

/** Inverse of a small symmetric positive-definite matrix (Gauss–Jordan, partial pivoting). */
function inverse(m: number[][]): number[][] | null {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[pivot]?.[c] ?? 0)) pivot = r;
    }
    const top = a[pivot];
    const lead = top?.[c] ?? 0;
    if (!top || Math.abs(lead) < 1e-300) return null;
    a[pivot] = a[c] as number[];
    a[c] = top.map((v) => v / lead);
    const row = a[c] as number[];
    for (let r = 0; r < n; r++) {
      const other = a[r] as number[];
      const f = other[c] ?? 0;
      if (r !== c && f !== 0) a[r] = other.map((v, j) => v - f * (row[j] ?? 0));
    }
  }
  return a.map((row) => row.slice(n));
}

const dot = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

/**
 * The profile of a rate from its counts pooled by hour of day, or null when it has no
 * significant daily rhythm (or an hour of the day has no trials: nothing to fit it to).
 */
export function fitDailyProfile(hours: readonly HourOfDayCounts[]): DailyProfile | null {
  const byHour = Array.from({ length: 24 }, () => ({ x: 0, n: 0 }));
  for (const h of hours) {
    const cell = byHour[h.hour];
    if (!cell) continue;
    cell.x += h.successes;
    cell.n += h.trials;
  }
  const x = byHour.reduce((s, c) => s + c.x, 0);
  const n = byHour.reduce((s, c) => s + c.n, 0);
  if (byHour.some((c) => c.n <= 0) || x <= 0 || x >= n) return null;
  const size = 1 + 2 * PROFILE_HARMONICS;
  const normal = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const rhs = new Array<number>(size).fill(0);
  byHour.forEach((c, h) => {
    const z = features((h + 0.5) / 24);
    for (let i = 0; i < size; i++) {
      rhs[i] = (rhs[i] ?? 0) + c.x * (z[i] ?? 0);
      const row = normal[i] as number[];
      for (let j = 0; j < size; j++) row[j] = (row[j] ?? 0) + c.n * (z[i] ?? 0) * (z[j] ?? 0);
    }
  });
  const inv = inverse(normal);
  if (!inv) return null;
  const beta = inv.map((row) => dot(row, rhs));
  // Cov(β) = p̄(1 − p̄)·(Σ n_h z zᵀ)⁻¹; the harmonics' block tested against zero.
  const pBar = x / n;
  const harmonics = Array.from({ length: size - 1 }, (_, i) => i + 1);
  const block = harmonics.map((i) => harmonics.map((j) => pBar * (1 - pBar) * (inv[i]?.[j] ?? 0)));
  const blockInv = inverse(block);
  if (!blockInv) return null;
  const b = harmonics.map((i) => beta[i] ?? 0);
  const chi2 = dot(
    b,
    blockInv.map((row) => dot(row, b)),
  );
  const p = chi2Sf(chi2, size - 1);
  if (!(p < PROFILE_ALPHA)) return null;
  // Relative variance of the fitted factor at each hour, against the flat mean's (1 − p̄)/x.
  const variance = (z: number[]) =>
    (pBar *
      (1 - pBar) *
      dot(
        z,
        inv.map((row) => dot(row, z)),
      )) /
    (pBar * pBar);
  let mean = 0;
  for (let h = 0; h < 24; h++) mean += variance(features((h + 0.5) / 24)) / 24;
  const margin = Math.sqrt(Math.max(0, mean - (1 - pBar) / x));
  const coefficients = beta.map((v, i) => v / pBar + (i === 0 ? margin : 0));
  return { coefficients, margin, chi2, p };
}

/** The factor a profile puts on the pooled rate at `ms` (epoch ms, UTC time of day). */
export function profileFactor(coefficients: readonly number[], ms: number): number {
  const day = 86_400_000;
  const f = dot(coefficients, features((((ms % day) + day) % day) / day));
  return Math.min(FACTOR_LIMIT, Math.max(1 / FACTOR_LIMIT, f));
}
