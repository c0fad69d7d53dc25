// Chi-squared test of homogeneity for baseline vs current category counts.
import { describe, expect, it } from "vitest";
import { chiSquaredHomogeneity } from "../../src/drift";
import { expectClose } from "./close";

describe("chi-squared test of homogeneity", () => {
  it("matches the scipy.stats.chi2_contingency 2 x 3 docs example", () => {
    // chi2_contingency([[10, 10, 20], [20, 20, 20]]): statistic 2.7777777777777777,
    // pvalue 0.24935220877729619, dof 2 (expected [[12, 12, 16], [18, 18, 24]]).
    const t = chiSquaredHomogeneity([10, 10, 20], [20, 20, 20]);
    expectClose(t.statistic, 2.7777777777777777, 1e-15);
    expectClose(t.pValue, 0.2493522087772962, 1e-14);
    expect(t.dof).toBe(2);
  });

  it("matches the scipy.stats.chi2_contingency aspirin example with Yates' correction", () => {
    // chi2_contingency([[176, 230], [21035, 21018]]) (Yates applied since dof = 1):
    // statistic 6.892569132546561, pvalue 0.008655478161175739. Rows here are the columns there.
    const t = chiSquaredHomogeneity([176, 21035], [230, 21018], { yates: true });
    expectClose(t.statistic, 6.892569132546561, 1e-13);
    expectClose(t.pValue, 0.008655478161175739, 1e-12);
    expect(t.dof).toBe(1);
  });

  it("gives 20 and p = erfc(sqrt 10) for a perfectly separated 2 x 2 table", () => {
    // [[10, 0], [0, 10]]: every expected count is 5, so X^2 = 4 * 25 / 5 = 20 by hand, and
    // chi2.sf(20, 1) = erfc(sqrt 10) = 7.744216431044088e-06 (scipy gammaincc docs, 9 digits).
    const t = chiSquaredHomogeneity([10, 0], [0, 10]);
    expectClose(t.statistic, 20, 1e-15);
    expectClose(t.pValue, 0.000007744216431044088, 1e-12);
  });

  it("drops categories that are empty in both rows before counting dof", () => {
    const t = chiSquaredHomogeneity([10, 0, 10, 0, 20], [20, 0, 20, 0, 20]);
    expectClose(t.statistic, 2.7777777777777777, 1e-15);
    expectClose(t.pValue, 0.2493522087772962, 1e-14);
    expect(t).toMatchObject({ dof: 2, categories: 3 });
  });

  it("returns statistic 0 and p = 1 when identical mixes or a single category remain", () => {
    expect(chiSquaredHomogeneity([5, 0], [9, 0])).toMatchObject({
      statistic: 0,
      dof: 0,
      pValue: 1,
    });
    const same = chiSquaredHomogeneity([10, 20, 30], [20, 40, 60]);
    expectClose(same.statistic, 0, 1e-15);
    expectClose(same.pValue, 1, 1e-15);
  });

  it("rejects empty rows, negative counts and mismatched lengths", () => {
    expect(() => chiSquaredHomogeneity([0, 0], [1, 2])).toThrow(RangeError);
    expect(() => chiSquaredHomogeneity([-1, 2], [1, 2])).toThrow(RangeError);
    expect(() => chiSquaredHomogeneity([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});
