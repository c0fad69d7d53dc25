// Per-segment outcome counts: counted per dimension and value, bounded, mergeable, stored as text.
import { describe, expect, it } from "vitest";
import { MAX_VALUES } from "../../src/window/capped-counts";
import {
  addSegmentEvent,
  decodeSegments,
  emptySegments,
  encodeSegments,
  MAX_SEGMENT_DIMENSIONS,
  mergeSegments,
  segmentMinutes,
} from "../../src/window/segment-counts";
import { momentMinutes } from "../../src/window/segment-moments";
import { feedback, interaction } from "../sample-events";

describe("segment counts", () => {
  it("counts each interaction's outcomes under every dimension it names", () => {
    const s = emptySegments();
    addSegmentEvent(
      s,
      interaction({ model: "m", status: "error", feedback: -1, tags: { locale: "ja" } }),
    );
    addSegmentEvent(s, interaction({ model: "m", escalated: true }));
    addSegmentEvent(s, feedback({ feedback: -1 }));
    // count, error, timeout, refused, filtered, escalated, unanswered, up, down
    expect(s.model?.m).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 1]);
    expect(s["tags.locale"]?.ja).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(Object.keys(s)).toEqual(["model", "tags.locale"]);
  });

  it("folds values beyond the top 20 of a dimension into other, when counting and when merging", () => {
    const a = emptySegments();
    for (let i = 0; i < 300; i++) addSegmentEvent(a, interaction({ tags: { locale: `l${i}` } }));
    const locales = a["tags.locale"] ?? {};
    expect(Object.keys(locales)).toHaveLength(MAX_VALUES + 1);
    expect(locales.other?.[0]).toBe(300 - MAX_VALUES);
    const b = emptySegments();
    for (let i = 0; i < 50; i++) addSegmentEvent(b, interaction({ tags: { locale: "zz" } }));
    mergeSegments(a, b);
    const merged = a["tags.locale"] ?? {};
    expect(Object.keys(merged)).toHaveLength(MAX_VALUES + 1);
    expect(merged.zz?.[0]).toBe(50);
    const total = Object.values(merged).reduce((n, row) => n + (row[0] ?? 0), 0);
    expect(total).toBe(350);
  });

  it("keeps a minute's busiest values, not its first 20 to arrive, in counts and moments alike", () => {
    // 25 rare values arrive first, then the busy one.
    const events = [
      ...Array.from({ length: 25 }, (_, i) =>
        interaction({ ts: 5, latency_ms: 100, tags: { locale: `rare${i}` } }),
      ),
      ...Array.from({ length: 30 }, () =>
        interaction({ ts: 5, latency_ms: 100, tags: { locale: "busy" } }),
      ),
    ];
    const counts = segmentMinutes(events).get(0)?.["tags.locale"] ?? {};
    expect(counts.busy?.[0]).toBe(30);
    expect(Object.keys(counts)).toHaveLength(MAX_VALUES + 1);
    expect(counts.other?.[0]).toBe(6); // 26 values: the busy one and 19 rare kept
    const moments = momentMinutes(events).get(0)?.dims["tags.locale"] ?? {};
    expect(Object.keys(moments).sort()).toEqual(Object.keys(counts).sort());
    // Capped as events arrive (one at a time), the busy value would have gone to other.
    const arrival = emptySegments();
    for (const e of events) addSegmentEvent(arrival, e);
    expect(arrival["tags.locale"]?.busy).toBeUndefined();
  });

  it("keeps at most 4 tag keys besides the five fields, the busiest after a merge", () => {
    const s = emptySegments();
    const tags = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"]));
    addSegmentEvent(
      s,
      interaction({
        model: "m",
        provider: "p",
        prompt_version: "1",
        release: "r",
        finish_reason: "stop",
        tags,
      }),
    );
    expect(Object.keys(s)).toHaveLength(MAX_SEGMENT_DIMENSIONS);
    const busier = emptySegments();
    for (let i = 0; i < 5; i++) addSegmentEvent(busier, interaction({ tags: { k9: "v" } }));
    mergeSegments(s, busier);
    expect(Object.keys(s).filter((k) => k.startsWith("tags."))).toHaveLength(4);
    expect(Object.hasOwn(s, "tags.k9")).toBe(true);
  });

  it("round-trips through its text, keeps __proto__ an ordinary value, and refuses bad text", () => {
    const s = emptySegments();
    addSegmentEvent(s, interaction({ model: "__proto__", tags: { constructor: "x" } }));
    const back = decodeSegments(encodeSegments(s));
    expect(back).toEqual(s);
    expect(Object.hasOwn(back.model ?? {}, "__proto__")).toBe(true);
    expect(encodeSegments(emptySegments())).toBe("");
    expect(decodeSegments("")).toEqual(emptySegments());
    expect(() => decodeSegments('{"model":{"m":[1,2]}}')).toThrow(SyntaxError);
    expect(() => decodeSegments('{"model":{"m":[1,0,0,0,0,0,0,0,-1]}}')).toThrow(SyntaxError);
  });
});

describe("segment counts' size", () => {
  it("stays within the stated ~7 KB per row at every cap, and ~0.5 KB for a typical deployment", () => {
    const full = emptySegments();
    const tags = (i: number) =>
      Object.fromEntries([0, 1, 2, 3].map((k) => [`key${k}`, `value-${i % 30}`]));
    for (let i = 0; i < 30_000; i++) {
      const v = `value-${i % 30}`;
      addSegmentEvent(
        full,
        interaction({
          model: v,
          provider: v,
          prompt_version: v,
          release: v,
          finish_reason: v,
          status: "error",
          feedback: -1,
          tags: tags(i),
        }),
      );
    }
    expect(encodeSegments(full).length).toBeLessThanOrEqual(8_000);
    const typical = emptySegments();
    for (let i = 0; i < 6_000; i++) {
      addSegmentEvent(
        typical,
        interaction({
          model: ["gpt-4o", "gpt-4o-mini", "claude"][i % 3],
          provider: "openai",
          prompt_version: ["v13", "v14"][i % 2],
          finish_reason: ["stop", "length", "tool"][i % 3],
          feedback: i % 7 === 0 ? -1 : 1,
          tags: { locale: ["en", "de", "fr", "ja", "es"][i % 5] ?? "en" },
        }),
      );
    }
    expect(encodeSegments(typical).length).toBeLessThanOrEqual(600);
  });
});
