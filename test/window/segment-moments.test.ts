// Per-segment log-scale moments: counted per dimension and value as the segment counts are,
// folded and capped alike (so both keep the same segments), exact under merges, stored as text.
import { describe, expect, it } from "vitest";
import { MAX_VALUES } from "../../src/window/capped-counts";
import { addSegmentEvent, emptySegments, mergeSegments } from "../../src/window/segment-counts";
import {
  addMomentEvent,
  decodeMoments,
  emptyMoments,
  encodeMoments,
  MOMENT_ROW,
  mergeMoments,
  momentsOf,
} from "../../src/window/segment-moments";
import { interaction } from "../sample-events";

describe("segment moments", () => {
  it("keeps count, Σ ln(1 + v) and Σ ln(1 + v)² per metric, skipping missing values", () => {
    const s = emptyMoments();
    addMomentEvent(s, interaction({ model: "m", latency_ms: Math.E - 1, output_tokens: 0 }));
    addMomentEvent(s, interaction({ model: "m", latency_ms: Math.E ** 3 - 1 }));
    const row = s.model?.m;
    expect(row?.[0]).toBe(2);
    const latency = momentsOf(row, "latency_ms");
    expect(latency.n).toBe(2);
    expect(latency.mean).toBeCloseTo(2, 12);
    expect(latency.variance).toBeCloseTo(1, 12);
    expect(momentsOf(row, "output_tokens")).toEqual({ n: 1, mean: 0, variance: 0 });
    expect(momentsOf(row, "ttft_ms").n).toBe(0);
  });

  it("folds and caps exactly as the segment counts do, so both keep the same values", () => {
    const counts = emptySegments();
    const moments = emptyMoments();
    const more = emptySegments();
    const moreMoments = emptyMoments();
    for (let i = 0; i < 400; i++) {
      const e = interaction({ latency_ms: i, tags: { locale: `l${i % 37}`, [`k${i % 7}`]: "v" } });
      addSegmentEvent(i % 2 ? counts : more, e);
      addMomentEvent(i % 2 ? moments : moreMoments, e);
    }
    mergeSegments(counts, more);
    mergeMoments(moments, moreMoments);
    expect(Object.keys(moments).sort()).toEqual(Object.keys(counts).sort());
    for (const [dimension, values] of Object.entries(counts)) {
      expect(Object.keys(moments[dimension] ?? {}).sort()).toEqual(Object.keys(values).sort());
      for (const [value, row] of Object.entries(values))
        expect(moments[dimension]?.[value]?.[0]).toBe(row[0]);
    }
    expect(Object.keys(moments["tags.locale"] ?? {})).toHaveLength(MAX_VALUES + 1);
  });

  it("round-trips through its text at 3 decimals and refuses bad text", () => {
    const s = emptyMoments();
    for (let i = 0; i < 50; i++)
      addMomentEvent(s, interaction({ model: "__proto__", latency_ms: 100 + i }));
    const back = decodeMoments(encodeMoments(s));
    expect(Object.hasOwn(back.model ?? {}, "__proto__")).toBe(true);
    const own = (x: Record<string, number[]> | undefined) =>
      Object.entries(x ?? {}).find(([k]) => k === "__proto__")?.[1];
    const m = momentsOf(own(back.model), "latency_ms");
    expect(m.mean).toBeCloseTo(momentsOf(own(s.model), "latency_ms").mean, 4);
    expect(encodeMoments(emptyMoments())).toBe("");
    expect(decodeMoments("")).toEqual(emptyMoments());
    expect(() => decodeMoments('{"model":{"m":[1,2]}}')).toThrow(SyntaxError);
    const bad = new Array(MOMENT_ROW).fill(0);
    bad[2] = -1;
    expect(() => decodeMoments(JSON.stringify({ model: { m: bad } }))).toThrow(SyntaxError);
  });

  it("stays within the stated ~22 KB per row at the caps and ~1.7 KB for 14 segments", () => {
    const full = emptyMoments();
    for (let i = 0; i < 30_000; i++) {
      const v = `value-${i % 30}`;
      addMomentEvent(
        full,
        interaction({
          model: v,
          provider: v,
          prompt_version: v,
          release: v,
          finish_reason: v,
          latency_ms: 100 + (i % 977),
          ttft_ms: 10 + (i % 97),
          output_tokens: i % 500,
          output_chars: i % 2000,
          tags: Object.fromEntries([0, 1, 2, 3].map((k) => [`key${k}`, v])),
        }),
      );
    }
    console.log("moments row at the caps", encodeMoments(full).length);
    expect(encodeMoments(full).length).toBeLessThan(22_000);
    const typical = emptyMoments();
    for (let i = 0; i < 5_000; i++) {
      addMomentEvent(
        typical,
        interaction({
          model: `m${i % 3}`,
          provider: "openai",
          prompt_version: `v${i % 2}`,
          finish_reason: ["stop", "length", "tool_calls"][i % 3],
          latency_ms: 500 + (i % 1000),
          ttft_ms: 100 + (i % 300),
          output_tokens: 50 + (i % 400),
          output_chars: 200 + (i % 1600),
          tags: { locale: `l${i % 5}` },
        }),
      );
    }
    console.log("moments row, 14 segments", encodeMoments(typical).length);
    expect(encodeMoments(typical).length).toBeLessThan(1_800);
  });
});
