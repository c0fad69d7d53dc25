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
  isMomentMetric,
  MAX_SEGMENT_EVALS,
  MOMENT_ROW,
  mergeMoments,
  momentsOf,
  typicalValue,
} from "../../src/window/segment-moments";
import { interaction } from "../sample-events";

describe("segment moments", () => {
  it("keeps count, Σ ln(1 + v) and Σ ln(1 + v)² per metric, skipping missing values", () => {
    const s = emptyMoments();
    addMomentEvent(s, interaction({ model: "m", latency_ms: Math.E - 1, output_tokens: 0 }));
    addMomentEvent(s, interaction({ model: "m", latency_ms: Math.E ** 3 - 1 }));
    const row = s.dims.model?.m;
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
    expect(Object.keys(moments.dims).sort()).toEqual(Object.keys(counts).sort());
    for (const [dimension, values] of Object.entries(counts)) {
      expect(Object.keys(moments.dims[dimension] ?? {}).sort()).toEqual(Object.keys(values).sort());
      for (const [value, row] of Object.entries(values))
        expect(moments.dims[dimension]?.[value]?.[0]).toBe(row[0]);
    }
    expect(Object.keys(moments.dims["tags.locale"] ?? {})).toHaveLength(MAX_VALUES + 1);
  });

  it("round-trips through its text at 3 decimals and refuses bad text", () => {
    const s = emptyMoments();
    for (let i = 0; i < 50; i++)
      addMomentEvent(s, interaction({ model: "__proto__", latency_ms: 100 + i }));
    const back = decodeMoments(encodeMoments(s));
    expect(Object.hasOwn(back.dims.model ?? {}, "__proto__")).toBe(true);
    const own = (x: Record<string, number[]> | undefined) =>
      Object.entries(x ?? {}).find(([k]) => k === "__proto__")?.[1];
    const m = momentsOf(own(back.dims.model), "latency_ms");
    expect(m.mean).toBeCloseTo(momentsOf(own(s.dims.model), "latency_ms").mean, 4);
    expect(encodeMoments(emptyMoments())).toBe("");
    expect(decodeMoments("")).toEqual(emptyMoments());
    const long = JSON.stringify({ model: { m: new Array(MOMENT_ROW + 1).fill(0) } });
    expect(() => decodeMoments(long)).toThrow(SyntaxError);
    const bad = new Array(MOMENT_ROW).fill(0);
    bad[1] = -1; // a negative count of values
    expect(() => decodeMoments(JSON.stringify({ model: { m: bad } }))).toThrow(SyntaxError);
  });

  /** Rows at every cap and for a typical deployment of 14 segments, with or without scores. */
  function sized(scores: boolean, cost = false) {
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
          ...(cost ? { cost_usd: 0.0001 * (1 + (i % 997)) } : {}),
          tags: Object.fromEntries([0, 1, 2, 3].map((k) => [`key${k}`, v])),
          ...(scores
            ? {
                retrieval: { top_score: (i % 9973) / 9973 },
                evals: Object.fromEntries([0, 1, 2, 3].map((k) => [`eval${k}`, (i % 101) / 101])),
              }
            : {}),
        }),
      );
    }
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
          ...(cost ? { cost_usd: 0.0002 * (1 + (i % 97)) } : {}),
          tags: { locale: `l${i % 5}` },
          ...(scores
            ? {
                retrieval: { top_score: (i % 997) / 997 },
                evals: { faithfulness: (i % 101) / 101, relevance: (i % 89) / 89 },
              }
            : {}),
        }),
      );
    }
    return { caps: encodeMoments(full).length, typical: encodeMoments(typical).length };
  }

  it("stays within the stated ~22 KB per row at the caps and ~1.7 KB for 14 segments without scores", () => {
    const size = sized(false);
    console.log("moments row without scores: at the caps, 14 segments", size);
    expect(size.caps).toBeLessThan(22_000);
    expect(size.typical).toBeLessThan(1_800);
  });

  it("stays within ~48 KB per row at the caps and ~2.9 KB for 14 segments with retrieval and 2 evals", () => {
    const size = sized(true);
    console.log("moments row with retrieval and evals: at the caps, 14 segments", size);
    // The cost's three columns sit before the evals' (0,0,0 without cost).
    expect(size.caps).toBeLessThan(49_000);
    expect(size.typical).toBeLessThan(3_000);
  });

  it("stays within ~53 KB per row at the caps and ~3.2 KB for 14 segments with cost, retrieval and 2 evals", () => {
    const size = sized(true, true);
    const without = sized(false, true);
    console.log("moments row with cost: with scores, without", size, without);
    expect(size.caps).toBeLessThan(53_000);
    expect(size.typical).toBeLessThan(3_300);
    expect(without.typical).toBeLessThan(2_200);
  });
});

describe("segment moments of the cost per request", () => {
  it("keeps count, Σ and Σ² of each priced request's cost in micro-USD, means read back in USD", () => {
    const s = emptyMoments();
    for (const cost of [0.001, 0.003])
      addMomentEvent(s, interaction({ model: "m", cost_usd: cost }));
    addMomentEvent(s, interaction({ model: "m" })); // unpriced: not a value
    const m = momentsOf(s.dims.model?.m, "cost_per_request");
    expect(m.n).toBe(2);
    expect(m.mean).toBeCloseTo(2_000, 6);
    expect(m.variance).toBeCloseTo(1_000_000, 3);
    expect(typicalValue("cost_per_request", m.mean)).toBeCloseTo(0.002, 12);
    const back = decodeMoments(encodeMoments(s));
    expect(momentsOf(back.dims.model?.m, "cost_per_request")).toEqual(m);
  });

  it("reads rows stored before the cost, moving their eval columns after the cost's", () => {
    // 1 + 3 × 5 numbers (latency … retrieval score), then eval f: 2 values, Σ 1, Σ² 0.5.
    const before = [2, 2, 4, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1.6, 1.28, 2, 1, 0.5];
    const old = decodeMoments(JSON.stringify({ evals: ["f"], dims: { model: { m: before } } }));
    const row = old.dims.model?.m;
    expect(momentsOf(row, "cost_per_request").n).toBe(0);
    expect(momentsOf(row, "retrieval_top_score", old.evals)).toMatchObject({ n: 2, mean: 0.8 });
    expect(momentsOf(row, "evals.f", old.evals)).toEqual({ n: 2, mean: 0.5, variance: 0 });
    expect(row).toHaveLength(MOMENT_ROW + 3);
    expect(() => decodeMoments('{"metrics":7,"evals":[],"dims":{}}')).toThrow(SyntaxError);
  });
});

describe("segment moments of scores", () => {
  it("keeps Σ v and Σ v² of the retrieval top score and of each eval score, negative ones too", () => {
    const s = emptyMoments();
    addMomentEvent(
      s,
      interaction({ model: "m", retrieval: { top_score: 0.9 }, evals: { tone: -2, grounded: 1 } }),
    );
    addMomentEvent(
      s,
      interaction({ model: "m", retrieval: { top_score: 0.5 }, evals: { tone: 4 } }),
    );
    const row = s.dims.model?.m;
    const retrieval = momentsOf(row, "retrieval_top_score");
    expect(retrieval.n).toBe(2);
    expect(retrieval.mean).toBeCloseTo(0.7, 12);
    expect(retrieval.variance).toBeCloseTo(0.04, 12);
    expect(typicalValue("retrieval_top_score", retrieval.mean)).toBeCloseTo(0.7, 12);
    const tone = momentsOf(row, "evals.tone", s.evals);
    expect(tone).toEqual({ n: 2, mean: 1, variance: 9 });
    expect(momentsOf(row, "evals.grounded", s.evals).n).toBe(1);
    expect(momentsOf(row, "evals.unknown", s.evals).n).toBe(0);
    expect(isMomentMetric("evals.tone")).toBe(true);
  });

  it("merges rows whose eval columns differ into exactly the moments of the whole", () => {
    const events = Array.from({ length: 60 }, (_, i) =>
      interaction({
        tags: { locale: `l${i % 3}` },
        evals: i % 2 ? { a: i / 10, b: -i } : { b: i / 7, c: 1 },
      }),
    );
    const whole = emptyMoments();
    const first = emptyMoments();
    const second = emptyMoments();
    for (const [i, e] of events.entries()) {
      addMomentEvent(whole, e);
      addMomentEvent(i < 25 ? second : first, e); // the halves meet their names in other orders
    }
    const merged = mergeMoments(first, second);
    for (const name of ["a", "b", "c"]) {
      for (const locale of ["l0", "l1", "l2"]) {
        const want = momentsOf(whole.dims["tags.locale"]?.[locale], `evals.${name}`, whole.evals);
        const got = momentsOf(merged.dims["tags.locale"]?.[locale], `evals.${name}`, merged.evals);
        expect(got.n).toBe(want.n);
        expect(got.mean).toBeCloseTo(want.mean, 9);
        expect(got.variance).toBeCloseTo(want.variance, 9);
      }
    }
  });

  it("keeps at most 4 eval names: the first 4 as events arrive, the busiest 4 after a merge", () => {
    const arriving = emptyMoments();
    const evals = Object.fromEntries(["e1", "e2", "e3", "e4", "e5"].map((k) => [k, 1]));
    addMomentEvent(arriving, interaction({ model: "m", evals }));
    expect(arriving.evals).toEqual(["e1", "e2", "e3", "e4"]);
    const busy = emptyMoments();
    for (let i = 0; i < 3; i++) addMomentEvent(busy, interaction({ model: "m", evals: { e5: 2 } }));
    mergeMoments(arriving, busy);
    expect(arriving.evals).toHaveLength(MAX_SEGMENT_EVALS);
    expect(arriving.evals).toContain("e5");
    expect(momentsOf(arriving.dims.model?.m, "evals.e5", arriving.evals)).toEqual({
      n: 3,
      mean: 2,
      variance: 0,
    });
    expect(arriving.dims.model?.m).toHaveLength(MOMENT_ROW + 3 * MAX_SEGMENT_EVALS);
  });

  it("round-trips eval names and scores at 6 decimals, and reads rows stored before them", () => {
    const s = emptyMoments();
    for (let i = 0; i < 40; i++) {
      addMomentEvent(
        s,
        interaction({ model: "m", retrieval: { top_score: 0.8 + i * 1e-4 }, evals: { f: 0.5 } }),
      );
    }
    const back = decodeMoments(encodeMoments(s));
    expect(back.evals).toEqual(["f"]);
    const r = momentsOf(back.dims.model?.m, "retrieval_top_score");
    const want = momentsOf(s.dims.model?.m, "retrieval_top_score");
    expect(r.mean).toBeCloseTo(want.mean, 6);
    expect(r.variance).toBeCloseTo(want.variance, 5);
    expect(momentsOf(back.dims.model?.m, "evals.f", back.evals).mean).toBeCloseTo(0.5, 6);
    // A row stored before: a bare dimensions object, 13 numbers (no retrieval, no evals).
    const old = decodeMoments(
      JSON.stringify({ model: { m: [2, 2, 4, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0] } }),
    );
    expect(old.evals).toEqual([]);
    expect(momentsOf(old.dims.model?.m, "latency_ms")).toEqual({ n: 2, mean: 2, variance: 1 });
    expect(momentsOf(old.dims.model?.m, "retrieval_top_score").n).toBe(0);
    expect(() => decodeMoments('{"evals":[1],"dims":{}}')).toThrow(SyntaxError);
  });
});
