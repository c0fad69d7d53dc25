// What a new deployment's pages show (issue 22, smaller things): "new" instead of a change
// against a week it never had, no chart for a metric it never sends, and a satisfaction
// line that joins hours without thumbs instead of breaking into fragments.
import { describe, expect, it } from "vitest";
import { tileChangeText } from "../../src/status/dashboard/overview";
import type { HourRow } from "../../src/status/dashboard/series";
import { chartsOf } from "../../src/status/dashboard/views";
import { linePath } from "../../src/status/geometry";
import { hourPoints } from "../../src/status/page-model";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 6, 14, 30);

const row = (bucketStart: number, over: Partial<HourRow> = {}): HourRow => ({
  bucketStart,
  count: 100,
  errorCount: 1,
  feedbackUp: 18,
  feedbackDown: 2,
  latencyP50: 400,
  latencyP95: 800,
  costUsd: 0.2,
  ttftP95: null,
  escalated: 0.02,
  outputP50: 600,
  retrievalP50: null,
  evals: {},
  ...over,
});

describe("overview tiles", () => {
  it("say new for a deployment with less than a day of history before the last 24 hours", () => {
    expect(tileChangeText(770.29, "relative", 2)).toBe("new");
    expect(tileChangeText(770.29, "relative", 24)).toBe("+77029 % vs 7 d");
    expect(tileChangeText(0.012, "points", 100)).toBe("+1.2 pts vs 7 d");
  });
});

describe("deployment charts", () => {
  const rows = Array.from({ length: 24 }, (_, h) => row(Math.floor(NOW / HOUR) * HOUR - h * HOUR));
  const ids = (incidents = []) =>
    chartsOf({ rows, range: "24h", now: NOW, markers: [], incidents }).map((c) => c.id);

  it("leave out metrics the deployment never sent", () => {
    expect(ids()).not.toContain("ttft");
    expect(ids()).not.toContain("retrieval");
    expect(ids()).toEqual(expect.arrayContaining(["requests", "latency", "thumbs_down_rate"]));
  });
});

describe("status page satisfaction sparkline", () => {
  it("joins hours without thumbs into one line, and still breaks where there was no traffic", () => {
    const top = Math.floor(NOW / HOUR) * HOUR;
    const hours = Array.from({ length: 24 }, (_, i) => {
      const t = top - (23 - i) * HOUR;
      // Thumbs every third hour only; no traffic (and so no thumbs) in hour 12.
      const thumbs = i % 3 === 0 && i !== 12;
      return {
        deploymentId: "d",
        bucketStart: t,
        count: i === 12 ? 0 : 50,
        latencyP95: 800,
        feedbackUp: thumbs ? 9 : 0,
        feedbackDown: thumbs ? 1 : 0,
      };
    });
    const { satisfaction } = hourPoints(hours, NOW);
    expect(satisfaction[0]?.t).toBe(top - 23 * HOUR);
    expect(satisfaction.at(-1)?.t).toBe(top);
    const path = linePath(satisfaction, {
      width: 23,
      height: 56,
      from: top - 23 * HOUR,
      to: top,
      yMax: 1,
    });
    // One break (the hour without traffic): two runs, not one per thumbed hour.
    expect(path.split("M").filter(Boolean)).toHaveLength(2);
  });
});
