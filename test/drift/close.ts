// Relative-error assertion shared by the drift statistics tests.
import { expect } from "vitest";

/** Asserts |actual - expected| <= rel * |expected| (or <= rel when expected is 0). */
export function expectClose(actual: number, expected: number, rel = 1e-12): void {
  const error =
    expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${actual} vs reference ${expected}`).toBeLessThanOrEqual(rel);
}
