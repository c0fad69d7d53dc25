import { describe, expect, it } from "vitest";
import { barRuns, cleanDayShare, dailyBars } from "../../src/status/daily-bars";
import {
  deploymentState,
  NO_DATA_AFTER_MS,
  overallState,
  stateOfSeverity,
} from "../../src/status/state";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2, 10, 0);

describe("deploymentState", () => {
  it("is a major outage while a critical incident fires, whatever else is open", () => {
    const incidents = [
      { severity: "warning", status: "firing" },
      { severity: "critical", status: "firing" },
    ];
    expect(deploymentState({ incidents, lastSeen: NOW, now: NOW })).toBe("major_outage");
  });

  it("is degraded while only warnings fire", () => {
    const incidents = [{ severity: "warning", status: "firing" }];
    expect(deploymentState({ incidents, lastSeen: NOW, now: NOW })).toBe("degraded");
  });

  it("ignores pending incidents, which have not held for their rule's duration", () => {
    const incidents = [{ severity: "critical", status: "pending" }];
    expect(deploymentState({ incidents, lastSeen: NOW - 1000, now: NOW })).toBe("operational");
  });

  it("has no data when nothing was seen within the hour, or ever", () => {
    expect(deploymentState({ incidents: [], lastSeen: NOW - NO_DATA_AFTER_MS, now: NOW })).toBe(
      "operational",
    );
    expect(deploymentState({ incidents: [], lastSeen: NOW - NO_DATA_AFTER_MS - 1, now: NOW })).toBe(
      "no_data",
    );
    expect(deploymentState({ incidents: [], lastSeen: null, now: NOW })).toBe("no_data");
  });

  it("maps severities: critical is a major outage, anything else degraded", () => {
    expect(stateOfSeverity("critical")).toBe("major_outage");
    expect(stateOfSeverity("warning")).toBe("degraded");
  });
});

describe("overallState", () => {
  it("is the worst component, with no data ranking below operational", () => {
    expect(overallState(["operational", "no_data"])).toBe("operational");
    expect(overallState(["no_data", "degraded", "operational"])).toBe("degraded");
    expect(overallState(["degraded", "major_outage"])).toBe("major_outage");
    expect(overallState(["no_data", "no_data"])).toBe("no_data");
    expect(overallState([])).toBe("no_data");
  });
});

describe("dailyBars", () => {
  const today = Date.UTC(2026, 11, 2);
  const traffic = new Set([today, today - DAY, today - 2 * DAY, today - 3 * DAY]);

  it("gives 90 UTC days oldest first, ending today", () => {
    const bars = dailyBars({ now: NOW, incidents: [], trafficDays: traffic });
    expect(bars).toHaveLength(90);
    expect(bars.at(-1)?.day).toBe(today);
    expect(bars[0]?.day).toBe(today - 89 * DAY);
  });

  it("marks days with traffic operational and days without no data", () => {
    const bars = dailyBars({ now: NOW, incidents: [], trafficDays: traffic, days: 5 });
    expect(bars.map((b) => b.state)).toEqual([
      "no_data",
      "operational",
      "operational",
      "operational",
      "operational",
    ]);
  });

  it("takes the worst incident of each day, spanning every day an incident overlapped", () => {
    const incidents = [
      // Warning from late on day -3 to early on day -2.
      {
        id: "a",
        title: "a",
        severity: "warning",
        from: today - 2 * DAY - 3600_000,
        to: today - 2 * DAY + 60_000,
      },
      // Critical on day -2 only, and a warning still open since yesterday.
      {
        id: "b",
        title: "b",
        severity: "critical",
        from: today - 2 * DAY + 7200_000,
        to: today - 2 * DAY + 9000_000,
      },
      { id: "c", title: "c", severity: "warning", from: today - DAY + 1000, to: null },
    ];
    const bars = dailyBars({ now: NOW, incidents, trafficDays: traffic, days: 4 });
    expect(bars.map((b) => b.state)).toEqual(["degraded", "major_outage", "degraded", "degraded"]);
    expect(bars.map((b) => b.incidents.map((i) => i.id))).toEqual([
      ["a"],
      ["a", "b"],
      ["c"],
      ["c"],
    ]);
  });

  it("counts an incident on a day without recorded traffic", () => {
    const incidents = [
      {
        id: "x",
        title: "x",
        severity: "critical",
        from: today - 10 * DAY,
        to: today - 10 * DAY + 1,
      },
    ];
    const bars = dailyBars({ now: NOW, incidents, trafficDays: new Set(), days: 11 });
    expect(bars[0]?.state).toBe("major_outage");
    expect(bars[1]?.state).toBe("no_data");
  });

  it("reports the share of judged days without incident", () => {
    const incidents = [{ id: "x", title: "x", severity: "warning", from: today, to: today + 1 }];
    const bars = dailyBars({ now: NOW, incidents, trafficDays: traffic, days: 5 });
    expect(cleanDayShare(bars)).toBeCloseTo(3 / 4, 12);
    expect(
      cleanDayShare(dailyBars({ now: NOW, incidents: [], trafficDays: new Set(), days: 3 })),
    ).toBeNull();
  });
});

describe("barRuns", () => {
  const today = Date.UTC(2026, 11, 2);
  it("joins quiet days of one state and keeps each incident day alone", () => {
    const traffic = new Set([0, 1, 2, 4, 5].map((k) => today - k * DAY));
    const incidents = [
      { id: "a", title: "a", severity: "warning", from: today - 4 * DAY, to: today - 4 * DAY + 1 },
      { id: "b", title: "b", severity: "warning", from: today - 5 * DAY, to: today - 5 * DAY + 1 },
    ];
    const bars = dailyBars({ now: NOW, incidents, trafficDays: traffic, days: 7 });
    expect(barRuns(bars).map((r) => [r.start, r.length, r.state])).toEqual([
      [0, 1, "no_data"],
      [1, 1, "degraded"],
      [2, 1, "degraded"],
      [3, 1, "no_data"],
      [4, 3, "operational"],
    ]);
  });
});
