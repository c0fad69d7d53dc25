// Input checks shared by the drift statistics: counts are finite and non-negative.

/** Throws a RangeError unless every entry is a finite, non-negative number; returns the sum. */
export function checkedTotal(name: string, counts: readonly number[]): number {
  let total = 0;
  for (const c of counts) {
    if (!Number.isFinite(c) || c < 0) {
      throw new RangeError(`${name} must hold finite non-negative counts, got ${c}`);
    }
    total += c;
  }
  return total;
}

/** Throws a RangeError unless both vectors have the same, non-zero length. */
export function checkSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(
      `expected two non-empty vectors of equal length, got ${a.length} and ${b.length}`,
    );
  }
}

/** Reads a[i], which the caller has bounds-checked; keeps `noUncheckedIndexedAccess` honest. */
export function at(a: readonly number[], i: number): number {
  const v = a[i];
  if (v === undefined) throw new RangeError(`index ${i} out of range (length ${a.length})`);
  return v;
}
