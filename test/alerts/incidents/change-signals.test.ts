// The change's incident a signal belongs to (pure): named by the first signal to fire,
// "more" once another signal was announced, open while any signal fires.
import { describe, expect, it } from "vitest";
import { changeGroupOf, type Signal } from "../../../src/alerts/incidents/change-signals";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);

function signal(over: Partial<Signal> & Pick<Signal, "incidentId" | "ruleName">): Signal {
  return {
    severity: "warning",
    status: "firing",
    startedAt: T0,
    firingAt: T0,
    changeAt: null,
    ...over,
  };
}

describe("changeGroupOf", () => {
  it("names a later signal of the same release change as more of the first incident, titled by the worst", () => {
    const length = signal({
      incidentId: "inc_a",
      ruleName: "Answer length",
      changeAt: T0 - MINUTE,
    });
    const thumbs = signal({
      incidentId: "inc_b",
      ruleName: "Thumbs-down",
      severity: "critical",
      startedAt: T0 + 40 * MINUTE,
      firingAt: T0 + 41 * MINUTE,
      changeAt: T0 - MINUTE,
    });
    expect(changeGroupOf(thumbs, [length, thumbs], T0 + 41 * MINUTE)).toEqual({
      id: "inc_a",
      title: "Thumbs-down",
      signals: ["Answer length", "Thumbs-down"],
      more: true,
      open: true,
    });
  });

  it("keeps incidents of different release changes apart, however close in time", () => {
    const a = signal({ incidentId: "inc_a", ruleName: "A", changeAt: T0 - 2 * MINUTE });
    const b = signal({
      incidentId: "inc_b",
      ruleName: "B",
      firingAt: T0 + MINUTE,
      changeAt: T0 - MINUTE,
    });
    expect(changeGroupOf(b, [a, b], T0 + MINUTE)).toMatchObject({
      id: "inc_b",
      signals: ["B"],
      more: false,
    });
  });

  it("without a release change groups incidents opened within 15 minutes, not later ones", () => {
    const a = signal({ incidentId: "inc_a", ruleName: "A" });
    const near = signal({
      incidentId: "inc_n",
      ruleName: "N",
      startedAt: T0 + 15 * MINUTE,
      firingAt: T0 + 15 * MINUTE,
    });
    const far = signal({
      incidentId: "inc_f",
      ruleName: "F",
      startedAt: T0 + 16 * MINUTE,
      firingAt: T0 + 16 * MINUTE,
    });
    expect(changeGroupOf(near, [a, near, far], T0 + 16 * MINUTE).id).toBe("inc_a");
    expect(changeGroupOf(far, [a, near, far], T0 + 16 * MINUTE).id).toBe("inc_n");
  });

  it("stays open while another signal fires, and keeps the first incident's id after it resolved", () => {
    const first = signal({
      incidentId: "inc_a",
      ruleName: "A",
      status: "resolved",
      resolvedAt: T0 + 5 * MINUTE,
    });
    const second = signal({ incidentId: "inc_b", ruleName: "B", firingAt: T0 + MINUTE });
    expect(changeGroupOf(first, [first, second], T0 + 5 * MINUTE)).toMatchObject({
      id: "inc_a",
      title: "B",
      signals: ["B"],
      open: true,
    });
    const over = { ...second, status: "resolved" as const, resolvedAt: T0 + 6 * MINUTE };
    expect(changeGroupOf(over, [first, over], T0 + 6 * MINUTE)).toMatchObject({
      id: "inc_a",
      signals: [],
      open: false,
    });
  });

  it("starts a new incident when the change's earlier signals all resolved before this one fired", () => {
    const old = signal({
      incidentId: "inc_a",
      ruleName: "A",
      status: "resolved",
      resolvedAt: T0 + 5 * MINUTE,
    });
    const later = signal({ incidentId: "inc_b", ruleName: "B", firingAt: T0 + 10 * MINUTE });
    expect(changeGroupOf(later, [old, later], T0 + 10 * MINUTE)).toMatchObject({
      id: "inc_b",
      signals: ["B"],
      more: false,
    });
  });

  it("two signals firing in the same first minute are both the incident's start, not more", () => {
    const a = signal({ incidentId: "inc_a", ruleName: "A" });
    const b = signal({ incidentId: "inc_b", ruleName: "B" });
    expect(changeGroupOf(b, [a, b], T0)).toMatchObject({ id: "inc_a", more: false });
  });

  it("ignores pending signals: they are not announced yet", () => {
    const pending = signal({
      incidentId: "inc_p",
      ruleName: "P",
      status: "pending",
      firingAt: null,
    });
    const b = signal({ incidentId: "inc_b", ruleName: "B", firingAt: T0 + MINUTE });
    expect(changeGroupOf(b, [pending, b], T0 + MINUTE)).toMatchObject({
      id: "inc_b",
      signals: ["B"],
      more: false,
    });
  });
});
