// Sums that cannot leave the finite range. A window's sums (sketch sums, token and cost
// counters) only grow; were one to overflow to Infinity, the stored bucket would no
// longer encode faithfully and every later read of the deployment would fail.

/** a + b, held at ±Number.MAX_VALUE instead of overflowing; a NaN addend is ignored. */
export function saturatingAdd(a: number, b: number): number {
  const sum = a + b;
  if (Number.isFinite(sum)) return sum;
  if (Number.isNaN(sum)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : clamp(b)) : clamp(a);
  return sum > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

const clamp = (x: number) => Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, x));
