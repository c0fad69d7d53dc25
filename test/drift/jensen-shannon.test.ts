// Jensen-Shannon distance between count vectors, against scipy.spatial.distance.jensenshannon.
import { describe, expect, it } from "vitest";
import { jensenShannonDistance } from "../../src/drift";
import { expectClose } from "./close";

describe("Jensen-Shannon distance", () => {
  it("matches the scipy.spatial.distance.jensenshannon docs examples", () => {
    // jensenshannon([1, 0, 0], [0, 1, 0], 2.0) = 1.0 (disjoint supports).
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0])).toBe(1);
    // jensenshannon([1.0, 0.0], [0.5, 0.5]) = 0.46450140402245893 (natural log).
    expectClose(jensenShannonDistance([1, 0], [0.5, 0.5], Math.E), 0.46450140402245893, 1e-15);
    // jensenshannon([1.0, 0.0, 0.0], [1.0, 0.0, 0.0]) = 0.0.
    expect(jensenShannonDistance([1, 0, 0], [1, 0, 0])).toBe(0);
  });

  it("matches the docs' count-matrix example printed to 7 decimals", () => {
    // a = [[1,2,3,4],[5,6,7,8],[9,10,11,12]], b = a + 12, natural log.
    // axis=0 -> [0.1954288, 0.1447697, 0.1138377, 0.0927636]; axis=1 -> [0.1402339,
    // 0.0399106, 0.0201815].
    const columns = [0.1954288, 0.1447697, 0.1138377, 0.0927636];
    columns.forEach((expected, c) => {
      const column = [1 + c, 5 + c, 9 + c];
      const d = jensenShannonDistance(
        column,
        column.map((v) => v + 12),
        Math.E,
      );
      expect(Math.abs(d - expected)).toBeLessThanOrEqual(5e-8);
    });
    const rows = [0.1402339, 0.0399106, 0.0201815];
    rows.forEach((expected, r) => {
      const row = [1, 2, 3, 4].map((v) => v + 4 * r);
      const d = jensenShannonDistance(
        row,
        row.map((v) => v + 12),
        Math.E,
      );
      expect(Math.abs(d - expected)).toBeLessThanOrEqual(5e-8);
    });
  });

  it("matches base-2 closed forms", () => {
    // p = (1, 0), q = (1/2, 1/2), m = (3/4, 1/4): JSD = (3/4) log2(4/3) bits, by hand.
    expectClose(jensenShannonDistance([2, 0], [7, 7]), Math.sqrt(0.75 * Math.log2(4 / 3)), 1e-15);
    // Half-overlapping: p = (1/2, 1/2, 0), q = (0, 1/2, 1/2): JSD = 1/2 bit.
    expectClose(jensenShannonDistance([1, 1, 0], [0, 3, 3]), Math.SQRT1_2, 1e-15);
  });

  it("rejects empty totals", () => {
    expect(() => jensenShannonDistance([0, 0], [1, 1])).toThrow(RangeError);
  });
});
