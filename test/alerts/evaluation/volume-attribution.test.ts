// Attribution of a traffic drop: the model whose requests stopped is named with its share of
// the missing requests; a drop everywhere names no segment; a release replaced by a new one
// is no drop.
import { describe, expect, it } from "vitest";
import { evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { attributeVolume } from "../../../src/alerts/evaluation/volume-attribution";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import type { Rule } from "../../../src/alerts/rules/rule-schema";
import { interaction } from "../../sample-events";
import { seededRandom } from "../../sample-values";
import { addToWindow, emptyWindow } from "./segment-window";

const MODELS = ["model-a", "model-b", "model-c", "model-d"];
const BASELINE_MINUTES = 1_000;
const WINDOW_MINUTES = 15;

/** A traffic rule that fires on a drop of a fifth (the default waits for four fifths). */
const rule: Rule = (() => {
  const r = DEFAULT_RULES.find((x) => x.id === "default:traffic");
  if (!r) throw new Error("default:traffic");
  return { ...r, threshold: 0.2, window_minutes: WINDOW_MINUTES };
})();

/** n requests spread over the models (a stopped model sends none), half of them locale=ja. */
function traffic(seed: number, n: number, stopped: string | null = null, release = "v1") {
  const r = seededRandom(seed);
  const w = emptyWindow();
  const live = MODELS.filter((m) => m !== stopped);
  for (let i = 0; i < n; i++) {
    const model = MODELS[Math.floor(r() * MODELS.length)] ?? "model-a";
    if (!live.includes(model)) continue;
    addToWindow(
      w,
      interaction({ id: `e${i}`, model, release, tags: { locale: r() < 0.5 ? "en" : "ja" } }),
    );
  }
  return w;
}

/** 40 requests a minute in the baseline, 40 × factor in the window (before a stop). */
function check(cur: ReturnType<typeof traffic>, base = traffic(1, 40 * BASELINE_MINUTES)) {
  return evaluateRule(rule, {
    current: cur.bucket,
    baseline: base.bucket,
    currentMinutes: WINDOW_MINUTES,
    baselineMinutes: BASELINE_MINUTES,
    segments: { current: cur.segments, baseline: base.segments },
  });
}

describe("traffic drop attribution", () => {
  it("names the model whose requests stopped, with its share of the missing requests", () => {
    const c = check(traffic(2, 40 * WINDOW_MINUTES, "model-c"));
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(false);
    const top = c.attribution?.segments[0];
    expect(top?.name).toBe("model=model-c");
    expect(top?.measure).toBe("requests");
    expect(top?.observed).toBe(0);
    // A quarter of 600 expected requests, all missing: nearly all of the missing ones.
    expect(top?.expected).toBeGreaterThan(120);
    expect(top?.expected).toBeLessThan(180);
    expect(top?.share_of_excess).toBeGreaterThan(0.8);
    expect(top?.rate).toBe(0);
    expect(top?.baseline_rate).toBeGreaterThan(8);
    expect(top?.baseline_rate).toBeLessThan(12);
    expect(c.attribution?.segments.map((s) => s.dimension)).toEqual(["model"]);
    expect(c.attribution?.text).toMatch(
      /^\d+ % of the missing requests are from model=model-c \(expected [\d.]+\/min → 0\/min\) \(\d+ segments looked at\)$/,
    );
  });

  it("names no single segment when the traffic dropped everywhere alike", () => {
    const c = check(traffic(3, 16 * WINDOW_MINUTES));
    expect(c.outcome).toBe("breach");
    expect(c.attribution?.everywhere).toBe(true);
    expect(c.attribution?.segments).toEqual([]);
    expect(c.attribution?.text).toMatch(
      /^everywhere: no segment stands out \(\d+ segments looked at\)$/,
    );
  });

  it("does not call a release replaced by a new one a drop of the old release", () => {
    const cur = traffic(4, 16 * WINDOW_MINUTES, null, "v2");
    const base = traffic(5, 40 * BASELINE_MINUTES);
    const a = attributeVolume(cur.segments, base.segments, 600, WINDOW_MINUTES);
    expect(a?.everywhere).toBe(true);
    expect(a?.segments.map((s) => s.dimension)).not.toContain("release");
  });

  it("is not attributed without the baseline's segments or an expected traffic", () => {
    const cur = traffic(6, 100);
    expect(attributeVolume(cur.segments, {}, 600, WINDOW_MINUTES)).toBeNull();
    expect(attributeVolume(cur.segments, traffic(7, 1_000).segments, 0, WINDOW_MINUTES)).toBeNull();
  });
});
