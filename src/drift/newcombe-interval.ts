// Newcombe's hybrid score interval for a difference of two proportions (Newcombe 1998,
// method 10): each proportion's Wilson score interval, combined by the square-and-add rule.

import { wilsonInterval, Z_95 } from "./wilson-interval";

export interface DifferenceInterval {
  /** current − baseline, as a proportion (0.257 is 25.7 points). */
  difference: number;
  lower: number;
  upper: number;
}

/**
 * The interval for p2 − p1, p1 = x1/n1 (the baseline) and p2 = x2/n2 (the window), at
 * critical value z (default 95 %). Unlike the Wald interval it stays inside [−1, 1], is
 * defined at 0/n and n/n, and keeps close to nominal coverage for small counts: Newcombe's
 * Table II examples (56/70 − 48/80: 0.0524 to 0.3339) are reproduced to 4 decimals.
 */
export function newcombeDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number = Z_95,
): DifferenceInterval {
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p2 - p1;
  return {
    difference: d,
    lower: Math.max(-1, d - Math.sqrt((p2 - b.lower) ** 2 + (a.upper - p1) ** 2)),
    upper: Math.min(1, d + Math.sqrt((b.upper - p2) ** 2 + (p1 - a.lower) ** 2)),
  };
}
