// Probe components of the status page (pure): each day's bar from its runs, the share of
// runs correct, the state from the latest day with runs.
import { describe, expect, it } from "vitest";
import { BAR_DAYS } from "../../src/status/daily-bars";
import { probeComponents, probeDayState } from "../../src/status/probe-components";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);
const TODAY = Date.UTC(2026, 11, 7);

describe("probe day state", () => {
  it("is operational when every run passed, degraded up to half wrong, an outage beyond", () => {
    expect(probeDayState(0, 0)).toBe("no_data");
    expect(probeDayState(24, 24)).toBe("operational");
    expect(probeDayState(24, 23)).toBe("degraded");
    expect(probeDayState(24, 12)).toBe("degraded");
    expect(probeDayState(24, 11)).toBe("major_outage");
  });
});

describe("probe components", () => {
  const probes = [{ id: "prb_1", name: "Answers to known questions" }];

  it("draws 90 daily bars from the runs and counts the share of runs correct", () => {
    const [c] = probeComponents({
      probes,
      now: NOW,
      days: [
        { probeId: "prb_1", day: TODAY - 2 * DAY, runs: 24, passed: 24 },
        { probeId: "prb_1", day: TODAY - DAY, runs: 24, passed: 21 },
        { probeId: "prb_1", day: TODAY, runs: 12, passed: 12 },
        { probeId: "prb_other", day: TODAY, runs: 12, passed: 0 },
      ],
    });
    expect(c?.id).toBe("probe/prb_1");
    expect(c?.bars).toHaveLength(BAR_DAYS);
    expect(c?.bars.slice(-3).map((b) => b.state)).toEqual([
      "operational",
      "degraded",
      "operational",
    ]);
    expect(c?.bars[0]?.state).toBe("no_data");
    expect(c?.bars.at(-2)?.incidents.map((i) => i.title)).toEqual(["3 of 24 runs wrong"]);
    expect(c?.runs).toBe(60);
    expect(c?.correct).toBeCloseTo(57 / 60);
    expect(c?.state).toBe("operational");
  });

  it("reads no data, and no share, for a probe without runs in the last two days", () => {
    const [c] = probeComponents({
      probes,
      now: NOW,
      days: [{ probeId: "prb_1", day: TODAY - 5 * DAY, runs: 4, passed: 1 }],
    });
    expect(c?.state).toBe("no_data");
    expect(c?.correct).toBeCloseTo(0.25);
    const [empty] = probeComponents({ probes, now: NOW, days: [] });
    expect(empty?.correct).toBeNull();
    expect(empty?.runs).toBe(0);
  });
});
