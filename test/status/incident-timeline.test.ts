// An incident's timeline: its row's times, who acted (the audit log) and the notes written
// on it, in order, with why it resolved.
import { describe, expect, it } from "vitest";
import { incidentTimeline } from "../../src/status/dashboard/incident-timeline";
import { formatWhen } from "../../src/status/format";

const T0 = Date.UTC(2026, 11, 2, 9, 30);
const MIN = 60_000;
const open = { startedAt: T0, firingAt: T0 + 5 * MIN, ackedAt: null, resolvedAt: null };
const ops = { actor: "key:key_ops", actorName: "Ops laptop" };

describe("incident timeline", () => {
  it("starts with pending and firing, and names who acknowledged and silenced", () => {
    const entries = incidentTimeline(
      { ...open, ackedAt: T0 + 7 * MIN },
      [
        { ...ops, action: "incident.ack", at: T0 + 7 * MIN, after: { acked_at: T0 + 7 * MIN } },
        {
          ...ops,
          action: "incident.silence",
          at: T0 + 8 * MIN,
          after: { silenced_until: T0 + 68 * MIN },
        },
      ],
      [],
      formatWhen,
    );
    expect(entries.map((e) => e.text)).toEqual([
      "Pending: the rule's check first failed",
      "Firing: the check kept failing for the rule's duration; notifications sent",
      "Acknowledged by Ops laptop (key:key_ops)",
      "Silenced until 2 Dec, 10:38 UTC by Ops laptop (key:key_ops)",
    ]);
  });

  it("says a resolve by hand and by whom, with the note written as it", () => {
    const entries = incidentTimeline(
      { ...open, resolvedAt: T0 + 20 * MIN },
      [
        {
          ...ops,
          action: "incident.update",
          at: T0 + 20 * MIN,
          after: { incident_status: "resolved" },
        },
      ],
      [
        {
          id: "upd_1",
          status: "resolved",
          body: "Rolled back.",
          author: "key:key_ops",
          createdAt: T0 + 20 * MIN,
        },
      ],
      formatWhen,
    );
    expect(entries.slice(2).map((e) => [e.kind, e.text, e.note?.body])).toEqual([
      ["note", "Update by Ops laptop (key:key_ops)", "Rolled back."],
      ["resolved", "Resolved by hand by Ops laptop (key:key_ops)", undefined],
    ]);
  });

  it("says the check passed again when nobody resolved it", () => {
    const entries = incidentTimeline({ ...open, resolvedAt: T0 + 30 * MIN }, [], [], formatWhen);
    expect(entries.at(-1)).toMatchObject({
      kind: "resolved",
      text: "Resolved: the check passed again",
    });
  });

  it("keeps an acknowledgement the audit log does not hold, unnamed", () => {
    const entries = incidentTimeline({ ...open, ackedAt: T0 + 6 * MIN }, [], [], formatWhen);
    expect(entries.map((e) => e.kind)).toEqual(["pending", "firing", "acknowledged"]);
    expect(entries[2]?.text).toBe("Acknowledged");
  });

  it("leaves out firing for an incident that never fired", () => {
    const entries = incidentTimeline({ ...open, firingAt: null }, [], [], formatWhen);
    expect(entries.map((e) => e.kind)).toEqual(["pending"]);
  });
});
