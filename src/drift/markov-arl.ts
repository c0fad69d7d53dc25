// The in-control average run length of a CUSUM S_t = max(0, S_{t-1} + Z_t) that alarms at
// S_t >= h, from the law of its increment Z (Brook & Evans 1972): (0, h) is cut into cells, the
// statistic's 0 is an atom, and the chain is read by renewal. A cycle leaves 0 and ends back at
// 0 or at h; on the cells the chain is transient, so (I - Q) u = P(to h) and (I - Q) t = 1 are
// well conditioned even when the ARL is astronomically long, and ARL = E[cycle length] /
// P(cycle ends at h) (Wald's identity over i.i.d. cycles). Checked against the standard normal
// CUSUM (k = 0.5: one-sided 336 and 930 at h = 4 and 5, Montgomery's two-sided 168 and 465).
import { logGamma } from "./gamma";
import { normalCdf, normalSf } from "./normal";

export interface IncrementLaw {
  /** P(Z <= z). */
  cdf(z: number): number;
  /** P(Z > z), computed from the upper tail so it keeps its relative precision. */
  sf(z: number): number;
}

/** Steps from 0 to the first S >= h; midpoint cells, exact for a continuous law as cells grow. */
export function markovChainArl(law: IncrementLaw, h: number, cells = 400): number {
  if (!(h > 0 && Number.isFinite(h))) throw new RangeError(`h must be positive, got ${h}`);
  if (!(Number.isInteger(cells) && cells > 0)) throw new RangeError("cells must be a count");
  const n = cells;
  const w = h / n;
  // Cell i sits at (i + 0.5) w: a move into cell j depends on j - i alone, so F at the half
  // offsets (m + 0.5) w for m in [-n, n] serves every row.
  const half = new Float64Array(2 * n + 1);
  for (let m = -n; m <= n; m++) half[m + n] = law.cdf((m + 0.5) * w);
  const a: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n + 2));
  for (let i = 0; i < n; i++) {
    const row = a[i] as Float64Array;
    row[i] = (row[i] ?? 0) + 1;
    for (let j = 0; j < n; j++) {
      row[j] = (row[j] ?? 0) - ((half[j - i + n] ?? 0) - (half[j - i - 1 + n] ?? 0));
    }
    row[n] = law.sf((n - i - 0.5) * w);
    row[n + 1] = 1;
  }
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[piv]?.[c] ?? 0)) piv = r;
    }
    const top = a[piv] as Float64Array;
    a[piv] = a[c] as Float64Array;
    a[c] = top;
    const pc = top[c] ?? 1;
    for (let r = c + 1; r < n; r++) {
      const row = a[r] as Float64Array;
      const k = (row[c] ?? 0) / pc;
      if (k === 0) continue;
      for (let j = c; j <= n + 1; j++) row[j] = (row[j] ?? 0) - k * (top[j] ?? 0);
    }
  }
  const u = new Float64Array(n);
  const t = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r] as Float64Array;
    let su = row[n] ?? 0;
    let st = row[n + 1] ?? 0;
    for (let j = r + 1; j < n; j++) {
      su -= (row[j] ?? 0) * (u[j] ?? 0);
      st -= (row[j] ?? 0) * (t[j] ?? 0);
    }
    u[r] = su / (row[r] ?? 1);
    t[r] = st / (row[r] ?? 1);
  }
  let alarm = law.sf(h);
  let length = 1;
  let below = law.cdf(0);
  for (let j = 0; j < n; j++) {
    const next = law.cdf((j + 1) * w);
    const pj = next - below;
    below = next;
    alarm += pj * (u[j] ?? 0);
    length += pj * (t[j] ?? 0);
  }
  return length / alarm;
}

/**
 * One step of a normal-score arm with shift δ: Z = δ·S − N·δ²/2, N ~ Poisson(λ) values a
 * minute, their scores' sum S ~ N(0, N) under no change (scores taken as standard normal); N = 0
 * is an atom at 0. Poisson terms over λ ± 8 sd (and at least 0..30).
 */
export function scoreIncrementLaw(lambda: number, shift: number): IncrementLaw {
  if (!(lambda > 0 && shift > 0)) throw new RangeError("lambda and shift must be positive");
  const lo = Math.max(0, Math.floor(lambda - 8 * Math.sqrt(lambda) - 5));
  const hi = Math.ceil(lambda + 8 * Math.sqrt(lambda) + 30);
  const terms: [number, number][] = [];
  for (let k = lo; k <= hi; k++) {
    const p = Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1));
    if (p > 1e-300) terms.push([k, p]);
  }
  const mix = (z: number, tail: boolean): number => {
    let s = 0;
    for (const [k, p] of terms) {
      if (k === 0) {
        s += tail ? (z < 0 ? p : 0) : z >= 0 ? p : 0;
        continue;
      }
      const x = (z + (k * shift * shift) / 2) / (shift * Math.sqrt(k));
      s += p * (tail ? normalSf(x) : normalCdf(x));
    }
    return s;
  };
  return { cdf: (z) => mix(z, false), sf: (z) => mix(z, true) };
}
