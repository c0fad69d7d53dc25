// The rule preview (pure): each hour re-run by the evaluator, firings counted as runs of
// breaching hours covering the rule's pending time.
import { describe, expect, it } from "vitest";
import { previewRule } from "../../../src/alerts/evaluation/rule-preview";
import { RuleSchema } from "../../../src/alerts/rules/rule-schema";
import { addEvent, emptyBucket } from "../../../src/window/bucket";
import { interaction } from "../../sample-events";

const HOUR = 3_600_000;
const rule = (extra: Record<string, unknown> = {}) =>
  RuleSchema.parse({
    id: "r",
    name: "errors",
    metric: "error_rate",
    test: "static",
    threshold: 0.3,
    direction: "up",
    min_samples: 5,
    ...extra,
  });

/** Hours of 10 interactions, the listed ones at 50 % errors; `empty` hours have none. */
function hours(bad: number[], empty: number[] = [], n = 12) {
  return Array.from({ length: n }, (_, h) => {
    const current = emptyBucket();
    if (!empty.includes(h)) {
      for (let k = 0; k < 10; k++) {
        addEvent(current, interaction({ status: bad.includes(h) && k < 5 ? "error" : "ok" }));
      }
    }
    return { start: h * HOUR, current };
  });
}

describe("rule preview", () => {
  it("counts each run of breaching hours as one firing", () => {
    const p = previewRule(rule(), hours([2, 3, 4, 8]), null);
    expect(p).toMatchObject({ hours: 12, decided: 12, breaches: 4, firings: 2, unsupported: null });
    expect(p.outcomes[2]).toEqual({ start: 2 * HOUR, outcome: "breach" });
  });

  it("needs as many breaching hours in a row as the pending time covers", () => {
    const p = previewRule(rule({ for_minutes: 120 }), hours([2, 3, 4, 8]), null);
    expect(p.firings).toBe(1);
  });

  it("leaves hours without enough data undecided", () => {
    const p = previewRule(rule(), hours([], [0, 1, 2]), null);
    expect(p.decided).toBe(9);
    expect(p.firings).toBe(0);
  });

  it("does not preview CUSUM rules, saying why", () => {
    const cusum = RuleSchema.parse({
      id: "c",
      name: "c",
      metric: "error_rate",
      test: "cusum",
      threshold: 365,
    });
    expect(previewRule(cusum, hours([1]), null).unsupported).toMatch(/sequential detector/);
  });
});
