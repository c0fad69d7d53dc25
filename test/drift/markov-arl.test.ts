// The Brook & Evans chain for a CUSUM's in-control ARL: against the standard normal CUSUM's
// published values, and on the normal-score arms' Poisson mixture of normal increments.
import { describe, expect, it } from "vitest";
import { markovChainArl, normalCdf, normalSf, scoreIncrementLaw } from "../../src/drift";

/** Increments X − k of a standard normal X: the tabular CUSUM with reference value k. */
const standard = (k: number) => ({
  cdf: (z: number) => normalCdf(z + k),
  sf: (z: number) => normalSf(z + k),
});

describe("markovChainArl", () => {
  it("gives the standard CUSUM's published in-control ARL for k = 0.5 at h = 4 and 5", () => {
    // Montgomery (Introduction to Statistical Quality Control, table of the tabular CUSUM with
    // k = 1/2): 168 and 465 for the two-sided scheme, whose two symmetric sides each run twice
    // as long.
    const h4 = markovChainArl(standard(0.5), 4);
    const h5 = markovChainArl(standard(0.5), 5);
    expect(h4 / 2).toBeGreaterThan(167);
    expect(h4 / 2).toBeLessThan(169.5);
    expect(h5 / 2).toBeGreaterThan(463);
    expect(h5 / 2).toBeLessThan(467.5);
  });

  it("grows about e-fold per unit of threshold far out, as Siegmund's formula says", () => {
    const ratio = markovChainArl(standard(0.5), 11) / markovChainArl(standard(0.5), 10);
    expect(ratio).toBeGreaterThan(2.6);
    expect(ratio).toBeLessThan(2.8);
  });

  it("refuses a threshold that is not positive", () => {
    expect(() => markovChainArl(standard(0.5), 0)).toThrow(RangeError);
  });
});

describe("scoreIncrementLaw", () => {
  it("is a probability law with an atom at 0 of mass e^-λ and mean −λ·δ²/2", () => {
    const law = scoreIncrementLaw(3, 0.5);
    expect(law.cdf(1e6)).toBeCloseTo(1, 12);
    expect(law.cdf(0) - law.cdf(-1e-9)).toBeCloseTo(Math.exp(-3), 9);
    expect(law.cdf(0.3) + law.sf(0.3)).toBeCloseTo(1, 12);
    // E[Z] = ∫ P(Z > z) dz over z > 0 minus ∫ P(Z <= z) dz over z < 0, by the midpoint rule.
    let mean = 0;
    const dz = 0.001;
    for (let z = dz / 2; z < 20; z += dz) mean += (law.sf(z) - law.cdf(-z)) * dz;
    expect(mean).toBeCloseTo((-3 * 0.25) / 2, 3);
  });
});
