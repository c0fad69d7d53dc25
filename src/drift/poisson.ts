// Exact Poisson tails, for counts too small for a normal approximation (rare errors, outages).
import { regularizedGammaP, regularizedGammaQ } from "./gamma";

/** P(X >= x) for X ~ Poisson(mean). */
export function poissonUpperTail(x: number, mean: number): number {
  if (x <= 0) return 1;
  if (mean <= 0) return 0;
  return regularizedGammaP(x, mean);
}

/** P(X <= x) for X ~ Poisson(mean). */
export function poissonLowerTail(x: number, mean: number): number {
  if (x < 0) return 0;
  if (mean <= 0) return 1;
  return regularizedGammaQ(x + 1, mean);
}
