// The breakdown's pure core: a rate split by a segment dimension into one panel per value.
import { describe, expect, it } from "vitest";
import {
  breakdownDimensions,
  breakdownPanels,
  ratioOf,
  type SegmentSlice,
} from "../../src/status/dashboard/breakdown";
import { addSegmentEvent, emptySegments } from "../../src/window/segment-counts";
import { addMomentEvent, emptyMoments } from "../../src/window/segment-moments";
import { interaction } from "../sample-events";

const MIN = 60_000;

/** One slice per minute; each event as [model, status, feedback?]. */
function slices(minutes: [string, "ok" | "error", (1 | -1)?][][]): SegmentSlice[] {
  return minutes.map((events, m) => {
    const segments = emptySegments();
    for (const [model, status, feedback] of events) {
      addSegmentEvent(
        segments,
        interaction({
          model,
          status,
          tags: { locale: "ja" },
          ...(feedback === undefined ? {} : { feedback }),
        }),
      );
    }
    return { start: m * MIN, segments };
  });
}

describe("breakdown panels", () => {
  it("gives each model its own error rate per minute and over the range", () => {
    const s = slices([
      [
        ["a", "ok"],
        ["a", "error"],
        ["b", "ok"],
      ],
      [
        ["a", "ok"],
        ["a", "ok"],
        ["b", "error"],
      ],
    ]);
    const panels = breakdownPanels(s, "model", "error_rate");
    expect(panels.map((p) => p.value)).toEqual(["a", "b"]);
    const [a, b] = panels;
    expect(a?.interactions).toBe(4);
    expect(a?.rate).toBe(0.25);
    expect(a?.points).toEqual([
      { t: 0, v: 0.5 },
      { t: MIN, v: 0 },
    ]);
    expect(b?.points).toEqual([
      { t: 0, v: 0 },
      { t: MIN, v: 1 },
    ]);
  });

  it("leaves a gap where a value had no traffic, not a zero", () => {
    const s = slices([[["a", "ok"]], [["b", "ok"]]]);
    const b = breakdownPanels(s, "model", "error_rate").find((p) => p.value === "b");
    expect(b?.points[0]).toEqual({ t: 0, v: null });
  });

  it("counts thumbs down out of the thumbs given, not out of every interaction", () => {
    const s = slices([
      [
        ["a", "ok", -1],
        ["a", "ok", 1],
        ["a", "ok"],
        ["a", "ok"],
      ],
    ]);
    const [a] = breakdownPanels(s, "model", "thumbs_down_rate");
    expect(a?.rate).toBe(0.5);
    expect(a?.of).toBe(2);
  });

  it("draws traffic as interactions per slice", () => {
    const s = slices([
      [
        ["a", "ok"],
        ["a", "error"],
      ],
      [],
    ]);
    const [a] = breakdownPanels(s, "model", "traffic");
    expect(a?.points.map((p) => p.v)).toEqual([2, null]);
    expect(ratioOf([3, 1, 0, 0, 0, 0, 0, 0, 0], "traffic")).toEqual([3, 3]);
  });

  it("puts the values past the cap last, whatever their traffic", () => {
    const segments = emptySegments();
    segments.model = { other: [9, 0, 0, 0, 0, 0, 0, 0, 0], a: [1, 0, 0, 0, 0, 0, 0, 0, 0] };
    const panels = breakdownPanels([{ start: 0, segments }], "model", "error_rate");
    expect(panels.map((p) => p.value)).toEqual(["a", "other"]);
  });

  it("keeps the 20 values with most interactions over the range and adds the rest into other", () => {
    const row = (n: number) => [n, 1, 0, 0, 0, 0, 0, 0, 0];
    const first = emptySegments();
    const second = emptySegments();
    first.model = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`m${i}`, row(10 + i)]));
    second.model = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`n${i}`, row(2)]));
    const panels = breakdownPanels(
      [
        { start: 0, segments: first },
        { start: MIN, segments: second },
      ],
      "model",
      "error_rate",
    );
    expect(panels).toHaveLength(21);
    const other = panels.at(-1);
    expect(other?.value).toBe("other");
    expect(other?.interactions).toBe(10);
    expect(other?.hits).toBe(5);
    expect(other?.points).toEqual([
      { t: 0, v: null },
      { t: MIN, v: 0.5 },
    ]);
  });

  it("lists the event fields before the tag keys", () => {
    expect(breakdownDimensions(slices([[["a", "ok"]]]))).toEqual(["model", "tags.locale"]);
  });

  it("splits a distribution by each value's geometric mean, per slice and over the range", () => {
    // claude: 9 ms and 99 ms, so exp(mean ln(1 + v)) − 1 = √(10 · 100) − 1; gpt-4o: 40 ms.
    const minute = (latencies: [string, number][]) => {
      const moments = emptyMoments();
      for (const [model, latency_ms] of latencies) {
        addMomentEvent(moments, interaction({ model, latency_ms }));
      }
      return moments.dims;
    };
    const s: SegmentSlice[] = [
      {
        start: 0,
        segments: minute([
          ["claude", 9],
          ["gpt-4o", 40],
        ]),
      },
      { start: MIN, segments: minute([["claude", 99]]) },
    ];
    const [claude, gpt] = breakdownPanels(s, "model", "latency_ms");
    expect(claude?.value).toBe("claude");
    expect(claude?.rate).toBeCloseTo(Math.sqrt(1000) - 1, 2);
    expect(claude?.points.map((p) => p.v)).toEqual([9, 99].map((v) => expect.closeTo(v, 2)));
    expect([claude?.hits, claude?.of, claude?.interactions]).toEqual([2, 2, 2]);
    expect(gpt?.rate).toBeCloseTo(40, 2);
    expect(gpt?.points[1]?.v).toBeNull();
  });
});
