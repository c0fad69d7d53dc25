// The incident card's times: "pending since" is always the first breach, "firing since"
// always when it fired, and both are shown when they differ (issue 22, item 6).
import { describe, expect, it } from "vitest";
import { incidentTimesText } from "../../src/status/dashboard/incident-times";

const T0 = Date.UTC(2026, 11, 2, 9, 30);
const MIN = 60_000;
const base = {
  status: "firing",
  startedAt: T0,
  firingAt: T0 + 5 * MIN,
  ackedAt: null,
  resolvedAt: null,
  silencedUntil: null,
};

describe("incident card times", () => {
  it("names a firing incident's firing time and, apart, its first breach", () => {
    expect(incidentTimesText(base, T0 + 20 * MIN)).toBe(
      "Firing since 2 Dec, 09:35 UTC (15 min) · pending since 2 Dec, 09:30 UTC",
    );
  });

  it("calls a pending incident's time its pending time", () => {
    const pending = { ...base, status: "pending", firingAt: null };
    expect(incidentTimesText(pending, T0 + 3 * MIN)).toBe("Pending since 2 Dec, 09:30 UTC (3 min)");
  });

  it("shows one time when the incident fired at its first breach", () => {
    expect(incidentTimesText({ ...base, firingAt: T0 }, T0 + MIN)).toBe(
      "Firing since 2 Dec, 09:30 UTC (1 min)",
    );
  });

  it("tells a resolved incident's firing, acknowledgement and resolve apart", () => {
    const resolved = {
      ...base,
      status: "resolved",
      ackedAt: T0 + 6 * MIN,
      resolvedAt: T0 + 9 * MIN,
    };
    expect(incidentTimesText(resolved, T0 + 60 * MIN)).toBe(
      "Fired 2 Dec, 09:35 UTC · pending since 2 Dec, 09:30 UTC · acknowledged 2 Dec, 09:36 UTC · resolved 2 Dec, 09:39 UTC",
    );
  });

  it("mentions a silence only while it lasts", () => {
    const silenced = { ...base, silencedUntil: T0 + 60 * MIN };
    expect(incidentTimesText(silenced, T0 + 10 * MIN)).toContain("silenced until 2 Dec, 10:30 UTC");
    expect(incidentTimesText(silenced, T0 + 61 * MIN)).not.toContain("silenced");
  });
});
