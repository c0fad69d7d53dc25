// The limiting Kolmogorov distribution of sqrt(n) * D (scipy's kstwobign, scipy.special.kolmogorov).

const MAX_TERMS = 100;

// K(x) = sqrt(2 pi) / x * sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2)); converges fast for small x.
function cdfSmall(x: number): number {
  const w = (Math.PI * Math.PI) / (8 * x * x);
  let sum = 0;
  for (let k = 1; k <= MAX_TERMS; k++) {
    const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (Math.sqrt(2 * Math.PI) / x) * sum;
}

// Q(x) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2); converges fast for x >= 1 and keeps small
// tails at full relative precision.
function sfLarge(x: number): number {
  let sum = 0;
  for (let k = 1; k <= MAX_TERMS; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term < Math.abs(sum) * 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** P(K > x) for the Kolmogorov distribution (scipy's kstwobign.sf, scipy.special.kolmogorov). */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x < 1) return Math.min(1, Math.max(0, 1 - cdfSmall(x)));
  return sfLarge(x);
}

/** P(K <= x) for the Kolmogorov distribution (scipy's kstwobign.cdf). */
export function kolmogorovCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x < 1) return Math.min(1, cdfSmall(x));
  return 1 - sfLarge(x);
}
