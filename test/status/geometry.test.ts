import { describe, expect, it } from "vitest";
import {
  areaPath,
  linearScale,
  linePath,
  markerPositions,
  niceCeil,
  yMaxOf,
  yTicks,
} from "../../src/status/geometry";

describe("linearScale", () => {
  it("maps the domain's ends onto the range's ends, inverted ranges included", () => {
    const y = linearScale([0, 10], [100, 0]);
    expect(y(0)).toBe(100);
    expect(y(10)).toBe(0);
    expect(y(2.5)).toBe(75);
  });
  it("maps a zero-width domain to the middle", () => {
    expect(linearScale([5, 5], [0, 40])(5)).toBe(20);
  });
});

describe("niceCeil and yMaxOf", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([0.013, 0.2, 0.21, 3, 7, 10, 1234].map(niceCeil)).toEqual([
      0.02, 0.2, 0.25, 5, 10, 10, 2000,
    ]);
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(Number.NaN)).toBe(1);
  });
  it("skips missing values and honours a floor", () => {
    expect(
      yMaxOf([
        { t: 0, v: null },
        { t: 1, v: 0.04 },
      ]),
    ).toBe(0.05);
    expect(yMaxOf([{ t: 0, v: 0.001 }], 0.1)).toBe(0.1);
  });
  it("gives evenly spaced ticks", () => {
    expect(yTicks(10, 2)).toEqual([0, 5, 10]);
  });
});

describe("linePath", () => {
  const box = { width: 100, height: 20, from: 0, to: 100, yMax: 10, pad: 0 };
  it("draws points left to right with y up", () => {
    expect(
      linePath(
        [
          { t: 50, v: 5 },
          { t: 0, v: 0 },
          { t: 100, v: 10 },
        ],
        box,
      ),
    ).toBe("M0,20 50,10 100,0");
  });
  it("breaks the line at missing values and keeps a lone point visible", () => {
    expect(
      linePath(
        [
          { t: 0, v: 0 },
          { t: 10, v: 0 },
          { t: 20, v: null },
          { t: 30, v: 5 },
          { t: 40, v: null },
        ],
        box,
      ),
    ).toBe("M0,20 10,20M30,10h0.1");
  });
  it("clamps values above the axis top and drops points outside the time range", () => {
    expect(
      linePath(
        [
          { t: -5, v: 1 },
          { t: 0, v: 50 },
          { t: 150, v: 1 },
        ],
        box,
      ),
    ).toBe("M0,0h0.1");
  });
  it("closes each run of the line down to the axis for the area", () => {
    expect(
      areaPath(
        [
          { t: 0, v: 10 },
          { t: 10, v: 0 },
          { t: 20, v: null },
          { t: 50, v: 5 },
          { t: 60, v: 5 },
        ],
        box,
      ),
    ).toBe("M0,20L0,0 10,20L10,20ZM50,20L50,10 60,10L60,20Z");
  });
  it("is empty without data", () => {
    expect(linePath([], box)).toBe("");
    expect(areaPath([{ t: 1, v: null }], box)).toBe("");
  });
});

describe("markerPositions", () => {
  it("keeps markers inside the range, in time order, with their x", () => {
    const markers = [
      { t: 75, label: "prompt v2" },
      { t: 25, label: "model b" },
      { t: 200, label: "later" },
    ];
    expect(markerPositions(markers, { from: 0, to: 100, width: 200 })).toEqual([
      { t: 25, label: "model b", x: 50 },
      { t: 75, label: "prompt v2", x: 150 },
    ]);
  });
});
