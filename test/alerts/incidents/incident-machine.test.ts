// The incident state machine: every transition, `for`, repeats, ack, silences, idempotency.
import { describe, expect, it } from "vitest";
import type { NotificationItem } from "../../../src/alerts/delivery/notification-types";
import {
  type CheckOutcome,
  fnv1a64,
  groupNotifications,
  type IncidentInput,
  type IncidentState,
  type IncidentStep,
  incidentFingerprint,
  stepIncident,
} from "../../../src/alerts/incidents/incident-machine";

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const MIN = 60_000;

type Options = Partial<Omit<IncidentInput, "previous" | "outcome" | "minute">>;

function step(prev: IncidentState | null, outcome: CheckOutcome, minute: number, o: Options = {}) {
  return stepIncident({
    deployment_id: "dep_1",
    rule_id: "rule_1",
    for_minutes: 0,
    no_data: "ignore",
    ...o,
    previous: prev,
    outcome,
    minute: T0 + minute * MIN,
  });
}

/** Runs one outcome per minute from T0 and returns every step. */
function run(outcomes: CheckOutcome[], o: Options = {}, start: IncidentState | null = null) {
  const steps: IncidentStep[] = [];
  let state = start;
  outcomes.forEach((outcome, i) => {
    const s = step(state, outcome, i, o);
    steps.push(s);
    state = s.state;
  });
  return steps;
}

const kinds = (steps: IncidentStep[]) => steps.map((s) => s.notification?.kind ?? null);
const statuses = (steps: IncidentStep[]) => steps.map((s) => s.state.status);
const last = (steps: IncidentStep[]): IncidentState => {
  const s = steps.at(-1);
  if (!s) throw new Error("no steps");
  return s.state;
};
const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value);

describe("pending and firing", () => {
  it("stays inactive and silent while checks pass", () => {
    const steps = run(["ok", "ok"]);
    expect(statuses(steps)).toEqual(["inactive", "inactive"]);
    expect(kinds(steps)).toEqual([null, null]);
    expect(steps[0]?.transition).toBeNull();
  });

  it("fires on the first breach, and notifies once, when for is 0", () => {
    const steps = run(["breach", "breach", "breach"]);
    expect(statuses(steps)).toEqual(["firing", "firing", "firing"]);
    expect(kinds(steps)).toEqual(["firing", null, null]);
    expect(steps[0]?.transition).toEqual({ from: "inactive", to: "firing" });
    expect(steps[0]?.state).toMatchObject({ started_at: T0, firing_at: T0, last_notified_at: T0 });
  });

  it("holds a breach pending until it has lasted for_minutes, then fires exactly at the boundary", () => {
    const steps = run(repeat("breach", 6), { for_minutes: 5 });
    expect(statuses(steps)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
      "firing",
    ]);
    expect(kinds(steps)).toEqual([null, null, null, null, null, "firing"]);
    expect(last(steps)).toMatchObject({ started_at: T0, firing_at: T0 + 5 * MIN });
  });

  it("fires on the second consecutive breach when for is 1", () => {
    expect(statuses(run(["breach", "breach"], { for_minutes: 1 }))).toEqual(["pending", "firing"]);
  });

  it("drops a pending breach back to inactive without any notification when it clears", () => {
    const steps = run(["breach", "breach", "ok", "breach"], { for_minutes: 3 });
    expect(statuses(steps)).toEqual(["pending", "pending", "inactive", "pending"]);
    expect(kinds(steps)).toEqual([null, null, null, null]);
    expect(steps[2]?.transition).toEqual({ from: "pending", to: "inactive" });
    expect(last(steps).started_at).toBe(T0 + 3 * MIN);
  });

  it("counts the for duration in wall time, so a skipped tick does not delay firing", () => {
    const first = step(null, "breach", 0, { for_minutes: 5 });
    const later = step(first.state, "breach", 7, { for_minutes: 5 });
    expect(later.state.status).toBe("firing");
    expect(later.notification).toEqual({ kind: "firing" });
  });

  it("records the latest value and keeps it when a check has none", () => {
    const a = step(null, "breach", 0, { value: 0.12 });
    const b = step(a.state, "no_data", 1, { value: null });
    expect(b.state.last_value).toBe(0.12);
  });

  it("rejects a negative for duration", () => {
    expect(() => step(null, "ok", 0, { for_minutes: -1 })).toThrow(RangeError);
  });
});

describe("resolving", () => {
  it("sends one resolved notification when a firing incident clears", () => {
    const steps = run(["breach", "ok", "ok"]);
    expect(statuses(steps)).toEqual(["firing", "resolved", "resolved"]);
    expect(kinds(steps)).toEqual(["firing", "resolved", null]);
    expect(steps[1]?.state.resolved_at).toBe(T0 + MIN);
  });

  it("resolves silently when send_resolved is false", () => {
    expect(kinds(run(["breach", "ok"], { send_resolved: false }))).toEqual(["firing", null]);
  });

  it("opens a new episode when a resolved incident breaches again", () => {
    const again = run(["breach", "ok", "breach"]);
    expect(statuses(again)).toEqual(["firing", "resolved", "firing"]);
    expect(kinds(again)).toEqual(["firing", "resolved", "firing"]);
    expect(again[2]?.state).toMatchObject({ started_at: T0 + 2 * MIN, resolved_at: null });
    expect(again[2]?.transition).toEqual({ from: "resolved", to: "firing" });
  });

  it("goes through pending again when the new episode has a for duration", () => {
    const steps = run(["breach", "breach", "ok", "breach", "breach"], { for_minutes: 1 });
    expect(statuses(steps)).toEqual(["pending", "firing", "resolved", "pending", "firing"]);
    expect(kinds(steps)).toEqual([null, "firing", "resolved", null, "firing"]);
  });
});

describe("repeat interval", () => {
  it("repeats a still-firing incident every 4 hours by default, not sooner", () => {
    const a = step(null, "breach", 0);
    const early = step(a.state, "breach", 239);
    expect(early.notification).toBeNull();
    const due = step(early.state, "breach", 240);
    expect(due.notification).toEqual({ kind: "repeat" });
    expect(due.state.last_notified_at).toBe(T0 + 240 * MIN);
    expect(step(due.state, "breach", 479).notification).toBeNull();
    expect(step(due.state, "breach", 480).notification).toEqual({ kind: "repeat" });
  });

  it("honours a custom repeat interval", () => {
    const steps = run(repeat("breach", 7), { repeat_interval_minutes: 3 });
    expect(kinds(steps)).toEqual(["firing", null, null, "repeat", null, null, "repeat"]);
  });
});

describe("acknowledgement", () => {
  it("stops repeats but still sends the resolved notification", () => {
    const fired = step(null, "breach", 0);
    const acked: IncidentState = { ...fired.state, acked_at: T0 + MIN };
    expect(step(acked, "breach", 300).notification).toBeNull();
    expect(step(acked, "ok", 301).notification).toEqual({ kind: "resolved" });
  });

  it("of a pending incident never swallows its first firing notification, only the reminders", () => {
    const pending = step(null, "breach", 0, { for_minutes: 2 });
    expect(pending.state.status).toBe("pending");
    const acked: IncidentState = { ...pending.state, acked_at: T0 + MIN / 2 };
    const fired = step(step(acked, "breach", 1, { for_minutes: 2 }).state, "breach", 2, {
      for_minutes: 2,
    });
    expect(fired.state.status).toBe("firing");
    expect(fired.notification).toEqual({ kind: "firing" });
    expect(step(fired.state, "breach", 300, { for_minutes: 2 }).notification).toBeNull();
    expect(step(fired.state, "ok", 301, { for_minutes: 2 }).notification).toEqual({
      kind: "resolved",
    });
  });

  it("is cleared by a new episode, so the next firing notifies", () => {
    const fired = step(null, "breach", 0);
    const resolved = step({ ...fired.state, acked_at: T0 }, "ok", 1);
    const again = step(resolved.state, "breach", 2);
    expect(again.state.acked_at).toBeNull();
    expect(again.notification).toEqual({ kind: "firing" });
  });
});

describe("silences", () => {
  const silencedUntil = (minutes: number) => ({ silenced_until: T0 + minutes * MIN });

  it("suppresses the firing notification and defers it until the silence expires", () => {
    const start = { ...step(null, "ok", 0).state, ...silencedUntil(10) };
    const during = step(start, "breach", 1);
    expect(during.state.status).toBe("firing");
    expect(during.notification).toBeNull();
    expect(during.state.last_notified_at).toBeNull();
    expect(step(during.state, "breach", 9).notification).toBeNull();
    const expired = step(during.state, "breach", 10);
    expect(expired.notification).toEqual({ kind: "firing" });
  });

  it("suppresses repeats while active and resumes them after expiry", () => {
    const fired = step(null, "breach", 0);
    const silenced = { ...fired.state, ...silencedUntil(300) };
    expect(step(silenced, "breach", 240).notification).toBeNull();
    expect(step(silenced, "breach", 300).notification).toEqual({ kind: "repeat" });
  });

  it("suppresses the resolved notification while active", () => {
    const fired = step(null, "breach", 0);
    const resolved = step({ ...fired.state, ...silencedUntil(60) }, "ok", 5);
    expect(resolved.state.status).toBe("resolved");
    expect(resolved.notification).toBeNull();
  });

  it("sends no resolved notification for an incident whose firing was never sent", () => {
    const start = { ...step(null, "ok", 0).state, ...silencedUntil(5) };
    const firing = step(start, "breach", 1);
    const resolved = step(firing.state, "ok", 6);
    expect(resolved.state.status).toBe("resolved");
    expect(resolved.notification).toBeNull();
  });
});

describe("missing data", () => {
  it("ignore freezes the incident: no transition and no notification, not even a due repeat", () => {
    const fired = step(null, "breach", 0);
    const gap = step(fired.state, "no_data", 300, { no_data: "ignore" });
    expect(gap.state.status).toBe("firing");
    expect(gap.notification).toBeNull();
    expect(gap.state.last_evaluated_minute).toBe(T0 + 300 * MIN);
    const pending = step(null, "breach", 0, { for_minutes: 2 });
    const frozen = step(pending.state, "no_data", 5, { no_data: "ignore", for_minutes: 2 });
    expect(frozen.state.status).toBe("pending");
  });

  it("keep carries the last outcome forward, so pending can fire and firing can repeat", () => {
    const o: Options = { no_data: "keep", for_minutes: 2, repeat_interval_minutes: 3 };
    const steps = run(["breach", "no_data", "no_data", "no_data", "no_data", "no_data"], o);
    expect(statuses(steps)).toEqual(["pending", "pending", "firing", "firing", "firing", "firing"]);
    expect(kinds(steps)).toEqual([null, null, "firing", null, null, "repeat"]);
    expect(statuses(run(["ok", "no_data"], o))).toEqual(["inactive", "inactive"]);
  });

  it("never resolves a firing incident, whatever the behaviour", () => {
    for (const no_data of ["ignore", "keep", "alert"] as const) {
      const steps = run(["breach", "no_data", "no_data"], { no_data });
      expect(statuses(steps)).toEqual(["firing", "firing", "firing"]);
    }
  });

  it("alert treats no data as a breach", () => {
    const steps = run(["no_data", "no_data"], { no_data: "alert", for_minutes: 1 });
    expect(statuses(steps)).toEqual(["pending", "firing"]);
    expect(kinds(steps)).toEqual([null, "firing"]);
  });

  it("treats insufficient data as no information even when no_data is alert", () => {
    const steps = run(["insufficient_data", "breach", "insufficient_data"], { no_data: "alert" });
    expect(statuses(steps)).toEqual(["inactive", "firing", "firing"]);
    expect(kinds(steps)).toEqual([null, "firing", null]);
  });
});

describe("idempotency per minute", () => {
  it("evaluating the same minute twice changes nothing and sends nothing twice", () => {
    const first = step(null, "breach", 0);
    const replay = step(first.state, "breach", 0);
    expect(replay).toEqual({ state: first.state, notification: null, transition: null });
    const resolved = step(first.state, "ok", 1);
    expect(step(resolved.state, "ok", 1).notification).toBeNull();
    expect(step(resolved.state, "breach", 1).state).toBe(resolved.state);
  });

  it("floors the tick to the minute, so a retried tick seconds later is the same minute", () => {
    const first = step(null, "breach", 0);
    const retried = stepIncident({
      previous: first.state,
      deployment_id: "dep_1",
      rule_id: "rule_1",
      outcome: "ok",
      minute: T0 + 42_000,
      for_minutes: 0,
      no_data: "ignore",
    });
    expect(retried.state).toBe(first.state);
    expect(retried.notification).toBeNull();
  });

  it("ignores a late tick for an earlier minute", () => {
    const at5 = step(null, "breach", 5);
    expect(step(at5.state, "ok", 3).state).toBe(at5.state);
  });
});

describe("fingerprints", () => {
  it("matches the FNV-1a 64 reference values", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });

  it("is stable per (deployment, rule) and distinguishes how the ids split", () => {
    expect(incidentFingerprint("dep_1", "rule_1")).toBe(incidentFingerprint("dep_1", "rule_1"));
    expect(incidentFingerprint("ab", "c")).not.toBe(incidentFingerprint("a", "bc"));
    expect(step(null, "ok", 0).state.fingerprint).toBe(incidentFingerprint("dep_1", "rule_1"));
  });
});

function item(over: Partial<NotificationItem>): NotificationItem {
  return {
    deployment_id: "dep_1",
    environment: "production",
    slug: "support-bot",
    rule_id: "rule_1",
    rule_name: "Thumbs-down rate",
    severity: "warning",
    metric: "thumbs_down_rate",
    status: "firing",
    repeat: false,
    value: 0.12,
    baseline_value: 0.05,
    test: "two_proportion_z",
    statistic: 4.2,
    threshold: 3.29,
    message: "Thumbs-down rate rose from 5 % to 12 %",
    reason: "fired because z = 4.2 ≥ 3.29",
    dashboard_url: "https://driftwatch.example/d/support-bot",
    incident_id: "inc_1",
    started_at: T0,
    evaluated_at: T0,
    ...over,
  };
}

describe("grouping notifications", () => {
  it("makes one group per deployment per evaluation, ordered and ranked by severity", () => {
    const groups = groupNotifications([
      item({ rule_name: "B", status: "resolved", severity: "critical" }),
      item({ deployment_id: "dep_2", slug: "other" }),
      item({ rule_name: "C", severity: "warning" }),
      item({ rule_name: "A", severity: "critical" }),
      item({ evaluated_at: T0 + MIN }),
    ]);
    expect(groups.map((g) => [g.deployment_id, g.evaluated_at])).toEqual([
      ["dep_1", T0],
      ["dep_1", T0 + MIN],
      ["dep_2", T0],
    ]);
    const [first] = groups;
    expect(first?.items.map((i) => i.rule_name)).toEqual(["A", "C", "B"]);
    expect(first).toMatchObject({ status: "firing", severity: "critical", slug: "support-bot" });
  });

  it("marks a group resolved only when every item resolved, and keys it stably", () => {
    const [group] = groupNotifications([item({ status: "resolved" })]);
    expect(group?.status).toBe("resolved");
    const [again] = groupNotifications([item({ status: "resolved", rule_id: "x" })]);
    expect(again?.group_key).toBe(group?.group_key);
    expect(group?.group_key).toMatch(/^[0-9a-f]{16}$/);
  });

  it("returns no groups for no notifications", () => {
    expect(groupNotifications([])).toEqual([]);
  });
});
