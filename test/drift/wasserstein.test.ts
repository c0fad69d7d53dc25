// Wasserstein-1 distance, raw (scipy.stats.wasserstein_distance) and normalised (Evidently).
import { describe, expect, it } from "vitest";
import {
  normalisedWasserstein1,
  wasserstein1,
  wasserstein1Binned,
  weightedStd,
} from "../../src/drift";
import { expectClose } from "./close";

describe("Wasserstein-1 distance", () => {
  it("matches the scipy.stats.wasserstein_distance docs examples", () => {
    // wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5.0
    expectClose(wasserstein1([0, 1, 3], [1, 1, 1], [5, 6, 8], [1, 1, 1]), 5, 1e-15);
    // wasserstein_distance([0, 1], [0, 1], [3, 1], [2, 2]) = 0.25
    expectClose(wasserstein1([0, 1], [3, 1], [0, 1], [2, 2]), 0.25, 1e-15);
    // wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5])
    // = 4.0781331438047861
    expectClose(
      wasserstein1([3.4, 3.9, 7.5, 7.8], [1.4, 0.9, 3.1, 7.2], [4.5, 1.4], [3.2, 3.5]),
      4.078133143804786,
      1e-14,
    );
  });

  it("is the shift between two point masses", () => {
    expectClose(wasserstein1([2], [1], [7.5], [3]), 5.5, 1e-15);
    // A histogram shifted by one bin of width 10 moves all its mass 10.
    expectClose(wasserstein1Binned([0, 10, 20, 30], [5, 3, 2, 0], [0, 5, 3, 2]), 10, 1e-15);
  });

  it("rejects mismatched or empty inputs", () => {
    expect(() => wasserstein1([1, 2], [1], [1], [1])).toThrow(RangeError);
    expect(() => wasserstein1([1], [0], [1], [1])).toThrow(RangeError);
    expect(() => wasserstein1Binned([1, 2], [1, 1], [1])).toThrow(RangeError);
  });
});

describe("normalised Wasserstein-1", () => {
  it("divides by the baseline's population standard deviation", () => {
    // Baseline: half the mass at 0, half at 10 -> mean 5, std 5 (ddof = 0, as np.std).
    // Current moves everything to 10: W1 = 0.5 * 10 = 5, so the normalised distance is 1.
    expectClose(weightedStd([0, 10], [4, 4]), 5, 1e-15);
    expectClose(normalisedWasserstein1([0, 10], [4, 4], [0, 8]), 1, 1e-15);
    // Baseline uniform on {1, 2, 3, 4}: std sqrt(5/4); shifting every count one bin right moves all mass by 1, so W1 = 1.
    expectClose(
      normalisedWasserstein1([1, 2, 3, 4, 5], [1, 1, 1, 1, 0], [0, 1, 1, 1, 1]),
      1 / Math.sqrt(1.25),
      1e-15,
    );
  });

  it("floors the scale at 0.001 like Evidently", () => {
    // A baseline with no spread: max(np.std(reference), 0.001) = 0.001.
    expectClose(normalisedWasserstein1([1, 2], [10, 0], [5, 5]), 0.5 / 0.001, 1e-12);
  });
});
