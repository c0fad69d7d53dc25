// Wasserstein-1 (earth mover's) distance between two weighted 1-D distributions, raw and normalised.
import { at, checkedTotal, checkSameLength } from "./validate";

interface Atom {
  value: number;
  weight: number;
}

function atoms(name: string, values: readonly number[], weights: readonly number[]): Atom[] {
  if (values.length !== weights.length || values.length === 0) {
    throw new RangeError(`${name}: need as many weights as values, and at least one`);
  }
  if (checkedTotal(`${name} weights`, weights) === 0) {
    throw new RangeError(`${name}: weights must have a positive total`);
  }
  const out: Atom[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = at(values, i);
    if (!Number.isFinite(value)) throw new RangeError(`${name}: values must be finite`);
    out.push({ value, weight: at(weights, i) });
  }
  return out.sort((x, y) => x.value - y.value);
}

/**
 * W1 = integral |F_A(x) - F_B(x)| dx between the distributions putting `weightsA` on `valuesA`
 * and `weightsB` on `valuesB` (weights need not sum to 1; values need not be sorted):
 * scipy.stats.wasserstein_distance(valuesA, valuesB, weightsA, weightsB).
 */
export function wasserstein1(
  valuesA: readonly number[],
  weightsA: readonly number[],
  valuesB: readonly number[],
  weightsB: readonly number[],
): number {
  const a = atoms("A", valuesA, weightsA);
  const b = atoms("B", valuesB, weightsB);
  const totalA = a.reduce((s, x) => s + x.weight, 0);
  const totalB = b.reduce((s, x) => s + x.weight, 0);
  let i = 0;
  let j = 0;
  let cumA = 0;
  let cumB = 0;
  let distance = 0;
  let previous: number | undefined;
  // Walk the merged support; between consecutive support points both CDFs are constant.
  while (i < a.length || j < b.length) {
    const x = Math.min(
      a[i]?.value ?? Number.POSITIVE_INFINITY,
      b[j]?.value ?? Number.POSITIVE_INFINITY,
    );
    if (previous !== undefined)
      distance += Math.abs(cumA / totalA - cumB / totalB) * (x - previous);
    for (let atom = a[i]; atom !== undefined && atom.value === x; atom = a[++i])
      cumA += atom.weight;
    for (let atom = b[j]; atom !== undefined && atom.value === x; atom = b[++j])
      cumB += atom.weight;
    previous = x;
  }
  return distance;
}

/** W1 between two histograms over the same bins, each bin represented by `binValues[i]`. */
export function wasserstein1Binned(
  binValues: readonly number[],
  baselineCounts: readonly number[],
  currentCounts: readonly number[],
): number {
  checkSameLength(baselineCounts, currentCounts);
  return wasserstein1(binValues, baselineCounts, binValues, currentCounts);
}

/** Floor on the baseline's standard deviation, as in Evidently: max(np.std(reference), 0.001). */
export const WASSERSTEIN_MIN_SCALE = 0.001;

/** Population standard deviation (ddof = 0, numpy's default) of a weighted 1-D distribution. */
export function weightedStd(values: readonly number[], weights: readonly number[]): number {
  const xs = atoms("std", values, weights);
  const total = xs.reduce((s, x) => s + x.weight, 0);
  const mean = xs.reduce((s, x) => s + x.weight * x.value, 0) / total;
  const variance = xs.reduce((s, x) => s + x.weight * (x.value - mean) ** 2, 0) / total;
  return Math.sqrt(variance);
}

/**
 * W1 divided by the baseline's standard deviation (floored at 0.001), Evidently's
 * "Wasserstein distance (normed)" with default threshold 0.1. The baseline's std is that of
 * the binned data, each count sitting at its bin's value.
 */
export function normalisedWasserstein1(
  binValues: readonly number[],
  baselineCounts: readonly number[],
  currentCounts: readonly number[],
): number {
  const raw = wasserstein1Binned(binValues, baselineCounts, currentCounts);
  return raw / Math.max(weightedStd(binValues, baselineCounts), WASSERSTEIN_MIN_SCALE);
}
