// Segment attribution: the segment that carries a rate's change is named with its share of
// the excess; a change everywhere is called "everywhere"; new segments, tags that appear
// mid-incident and hundreds of tag values are handled.
import { beforeAll, describe, expect, it } from "vitest";
import { attribute } from "../../../src/alerts/evaluation/attribution";
import { type CheckInput, evaluateRule } from "../../../src/alerts/evaluation/evaluate";
import { DEFAULT_RULES } from "../../../src/alerts/rules/default-rules";
import type { Rule } from "../../../src/alerts/rules/rule-schema";
import { holmAdjust } from "../../../src/drift";
import type { Bucket } from "../../../src/window/bucket";
import type { SegmentCounts } from "../../../src/window/segment-counts";
import { segmentTraffic } from "../segment-traffic";

const rule = DEFAULT_RULES.find((r) => r.id === "default:thumbs_down_rate") as Rule;
let baseline: { bucket: Bucket; segments: SegmentCounts };
beforeAll(() => {
  baseline = segmentTraffic(20_000, 1, { k: 5, share: 0.2, rate: 0.05 });
});

const input = (
  current: { bucket: Bucket; segments: SegmentCounts },
  base: { bucket: Bucket; segments: SegmentCounts | null } = baseline,
): CheckInput => ({
  current: current.bucket,
  baseline: base.bucket,
  currentMinutes: 15,
  baselineMinutes: 7 * 24 * 60,
  segments: { current: current.segments, baseline: base.segments },
});

describe("Holm's adjustment", () => {
  it("multiplies the i-th smallest of m p-values by m − i and keeps them monotone", () => {
    // Sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.03, 0.06, max(0.06, 0.04).
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => +p.toFixed(10))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });
});

describe("segment attribution", () => {
  it("names the one locale whose thumbs-down rose, with its share of the extra thumbs-down", () => {
    const current = segmentTraffic(2000, 2, { k: 5, share: 0.2, rate: 0.05, changedRate: 0.3 });
    const check = evaluateRule(rule, input(current));
    expect(check.outcome).toBe("breach");
    const a = check.attribution;
    expect(a?.everywhere).toBe(false);
    expect(a?.segments[0]?.name).toBe("locale=l0");
    expect(a?.segments[0]?.share_of_excess).toBeGreaterThan(0.8);
    expect(a?.segments.every((s) => s.dimension !== "model")).toBe(true);
    expect(a?.text).toMatch(
      /^\d+ % of the extra thumbs-down come from locale=l0 \(\d\.\d % → (2|3)\d\.\d %\) \(\d+ segments looked at\)$/,
    );
    // The affected traffic is the named locale's: about a fifth of the window.
    expect(check.affected?.share_of_traffic).toBeGreaterThan(0.15);
    expect(check.affected?.share_of_traffic).toBeLessThan(0.25);
  });

  it("says everywhere when every segment rose alike", () => {
    const current = segmentTraffic(2000, 3, {
      k: 5,
      share: 0.2,
      rate: 0.05,
      changedRate: 0.3,
      everywhere: true,
    });
    const check = evaluateRule(rule, input(current));
    expect(check.outcome).toBe("breach");
    expect(check.attribution?.everywhere).toBe(true);
    expect(check.attribution?.text).toMatch(
      /^everywhere: no segment stands out \(\d+ segments looked at\)$/,
    );
    expect(check.affected?.share_of_traffic).toBe(1);
  });

  it("holds a segment without baseline traffic to the overall baseline rate", () => {
    const current = segmentTraffic(2000, 4, {
      k: 5,
      share: 0.2,
      rate: 0.05,
      changedRate: 0.3,
      everywhere: true,
      newModel: "model-new",
    });
    const a = attribute(
      "thumbs_down_rate",
      current.segments,
      baseline.segments,
      baseline.bucket.counters.feedback_down /
        (baseline.bucket.counters.feedback_down + baseline.bucket.counters.feedback_up),
      true,
    );
    expect(a.everywhere).toBe(true);
    expect(a.looked_at).toBeGreaterThan(5);
  });

  it("names a model that appeared mid-incident when it carries the change", () => {
    const current = segmentTraffic(2000, 5, { k: 5, share: 0, rate: 0.05, newModel: "model-new" });
    // Thumbs-down only on the new model: rebuild its rows with a high rate.
    const models = current.segments.model as Record<string, number[]>;
    const row = models["model-new"] as number[];
    const trials = (row[7] ?? 0) + (row[8] ?? 0);
    row[8] = Math.round(trials * 0.4);
    row[7] = trials - row[8];
    const a = attribute("thumbs_down_rate", current.segments, baseline.segments, 0.05, true);
    expect(a.segments[0]?.name).toBe("model=model-new");
    expect(a.segments[0]?.baseline_rate).toBeNull();
    expect(a.text).toContain("model=model-new (new → ");
  });

  it("names a tag key the baseline never had, and works with no baseline segments at all", () => {
    const current = segmentTraffic(2000, 6, { k: 5, share: 0.2, rate: 0.05, changedRate: 0.35 });
    const check = evaluateRule(rule, input(current, { bucket: baseline.bucket, segments: null }));
    expect(check.attribution?.segments[0]?.name).toBe("locale=l0");
    expect(check.attribution?.segments[0]?.baseline_rate).toBeNull();
  });

  it("folds hundreds of tag values into other and still finds the changed one among the top 20", () => {
    const current = segmentTraffic(6000, 7, { k: 300, share: 0.1, rate: 0.05, changedRate: 0.4 });
    const locales = current.segments["tags.locale"] ?? {};
    expect(Object.keys(locales).length).toBeLessThanOrEqual(21);
    expect(Object.hasOwn(locales, "other")).toBe(true);
    const check = evaluateRule(rule, input(current));
    expect(check.attribution?.segments[0]?.name).toBe("locale=l0");
  });

  it("attributes nothing when the rule does not breach", () => {
    const current = segmentTraffic(2000, 8, { k: 5, share: 0.2, rate: 0.05 });
    const check = evaluateRule(rule, input(current));
    expect(check.outcome).toBe("ok");
    expect(check.attribution).toBeUndefined();
  });
});
