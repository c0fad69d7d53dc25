// The normal-mixture confidence sequence: an interval for a difference that stays valid
// however often it is looked at (Robbins 1970; Howard, Ramdas, McAuliffe & Sekhon 2021,
// "Time-uniform, nonparametric, nonasymptotic confidence sequences", eq. (14); the
// Gaussian mixture SPRT of Johari, Pekelis & Walsh 2017 is the same test).
//
// An estimate d of a difference θ with variance s² (information V = 1/s²) gives, mixing
// the likelihood ratio over θ ~ N(θ0, τ²),
//   Λ(θ0) = sqrt(s² / (s² + τ²)) · exp(τ² (d − θ0)² / (2 s² (s² + τ²))),
// a nonnegative martingale under θ = θ0 (exactly for Gaussian increments, asymptotically
// for sums of bounded ones). By Ville's inequality P(∃t: Λ_t ≥ 1/α) ≤ α, so
//   { θ0 : Λ(θ0) < 1/α } = d ± sqrt(s² (s² + τ²) / τ² · log((s² + τ²) / (s² α²)))
// covers θ at every time at once with probability ≥ 1 − α. The boundary is tightest where
// the radius is about τ: τ is set to the effect the test should find quickly.

/** Half-width of the two-sided (1 − alpha) confidence sequence for variance s2, mixing scale tau. */
export function mixtureRadius(s2: number, tau: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(tau > 0)) throw new RangeError(`tau must be positive, got ${tau}`);
  if (!(s2 >= 0) || !Number.isFinite(s2)) return Number.POSITIVE_INFINITY;
  if (s2 === 0) return 0;
  const t2 = tau * tau;
  return Math.sqrt(((s2 * (s2 + t2)) / t2) * Math.log((s2 + t2) / (s2 * alpha * alpha)));
}

/** log Λ(θ0): the mixture likelihood ratio against θ = theta0 (always-valid p = min(1, 1/Λ)). */
export function mixtureLogRatio(d: number, s2: number, tau: number, theta0 = 0): number {
  const t2 = tau * tau;
  return 0.5 * Math.log(s2 / (s2 + t2)) + (t2 * (d - theta0) ** 2) / (2 * s2 * (s2 + t2));
}

/**
 * Half-width of the intersection of one sequence per mixing scale, each at alpha / J (J
 * scales): still a (1 − alpha) confidence sequence (union bound), and tight both near the
 * smallest scale and near the largest. One scale at the margin is tightest for effects
 * near the margin, but a change 4× the margin took ~1.9× the information bound to find;
 * with the scales {margin, 4 × margin} every effect from 1× to 8× the margin takes
 * ≤ 1.53× (the price: ~10 % more information at 1× the margin).
 */
export function multiScaleRadius(s2: number, taus: readonly number[], alpha: number): number {
  if (taus.length === 0) throw new RangeError("multiScaleRadius needs at least one scale");
  return Math.min(...taus.map((tau) => mixtureRadius(s2, tau, alpha / taus.length)));
}
