// The incident state machine per (deployment, rule), with Alertmanager semantics, and grouping.
import { MINUTE_MS } from "../../shared/time";
import type {
  NotificationGroup,
  NotificationItem,
  NotificationKind,
  Severity,
} from "../delivery/notification-types";
import { DEFAULT_REPEAT_INTERVAL_MINUTES } from "../rules/repeat-interval";

export type IncidentStatus = "inactive" | "pending" | "firing" | "resolved";
export type CheckOutcome = "ok" | "breach" | "insufficient_data" | "no_data";

/**
 * What a NO_DATA check means for a rule:
 * - "ignore": the minute is skipped: no transition, no notification (a pending `for` clock
 *   keeps running from the first breach but cannot complete during the gap).
 * - "keep": the minute repeats the last known outcome: a pending or firing incident counts it
 *   as a breach (so it can fire and repeat), an inactive or resolved one as ok.
 * - "alert": the minute is a breach.
 * None of them resolves an incident. "insufficient_data" (too few samples to test) is always
 * handled like "ignore": it neither confirms nor clears anything.
 */
export type NoDataBehaviour = "ignore" | "keep" | "alert";

/** Persisted per (deployment, rule). Times are epoch ms; null when not (yet) happened. */
export interface IncidentState {
  fingerprint: string;
  status: IncidentStatus;
  /** First breach of the current episode (pending or firing); null when inactive. */
  started_at: number | null;
  firing_at: number | null;
  resolved_at: number | null;
  /** Last firing or repeat notification of this episode; null if none was sent. */
  last_notified_at: number | null;
  last_evaluated_minute: number;
  acked_at: number | null;
  /** Silence is per (deployment, rule), so it outlives episodes until it expires. */
  silenced_until: number | null;
  last_value: number | null;
}

export interface IncidentInput {
  previous: IncidentState | null;
  deployment_id: string;
  rule_id: string;
  outcome: CheckOutcome;
  value?: number | null;
  /** Epoch ms of the evaluation tick; floored to the minute here too. */
  minute: number;
  for_minutes: number;
  no_data: NoDataBehaviour;
  /** Default 240 (4 h, Alertmanager's repeat_interval). */
  repeat_interval_minutes?: number;
  /** Default true. */
  send_resolved?: boolean;
  /**
   * A maintenance window covers the deployment this minute: the incident is stepped and
   * recorded as usual but sends no firing or reminder (a firing still open when the window
   * ends is sent then). A resolution still goes to receivers that heard the firing.
   */
  in_maintenance?: boolean;
}

export interface IncidentStep {
  state: IncidentState;
  notification: { kind: NotificationKind } | null;
  /** Present when the status changed (a missing previous state counts as inactive). */
  transition: { from: IncidentStatus; to: IncidentStatus } | null;
}

type Signal = "breach" | "ok" | "hold";

function signalOf(outcome: CheckOutcome, noData: NoDataBehaviour, status: IncidentStatus): Signal {
  if (outcome === "ok" || outcome === "breach") return outcome;
  if (outcome === "insufficient_data" || noData === "ignore") return "hold";
  if (noData === "alert") return "breach";
  return status === "pending" || status === "firing" ? "breach" : "ok";
}

function checkMinutes(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of minutes, got ${value}`);
  }
}

/** Advances one (deployment, rule) by one evaluation minute. Pure and idempotent per minute. */
export function stepIncident(input: IncidentInput): IncidentStep {
  checkMinutes("for_minutes", input.for_minutes);
  const repeatMinutes = input.repeat_interval_minutes ?? DEFAULT_REPEAT_INTERVAL_MINUTES;
  checkMinutes("repeat_interval_minutes", repeatMinutes);
  const minute = Math.floor(input.minute / MINUTE_MS) * MINUTE_MS;
  const prev = input.previous;
  // NOTE: a replayed (or late, out-of-order) tick must not notify twice.
  if (prev && minute <= prev.last_evaluated_minute) {
    return { state: prev, notification: null, transition: null };
  }
  const base: IncidentState = prev ?? {
    fingerprint: incidentFingerprint(input.deployment_id, input.rule_id),
    status: "inactive",
    started_at: null,
    firing_at: null,
    resolved_at: null,
    last_notified_at: null,
    last_evaluated_minute: minute,
    acked_at: null,
    silenced_until: null,
    last_value: null,
  };
  const state: IncidentState = {
    ...base,
    last_evaluated_minute: minute,
    last_value: input.value ?? base.last_value,
  };
  const silenced = state.silenced_until !== null && minute < state.silenced_until;
  const signal = signalOf(input.outcome, input.no_data, state.status);
  const next = advance(state, signal, minute, input.for_minutes * MINUTE_MS);

  // A minute that tells us nothing sends nothing, not even a due reminder.
  const due =
    signal === "hold"
      ? null
      : notificationKind(state, next, {
          minute,
          silenced,
          repeatMs: repeatMinutes * MINUTE_MS,
          sendResolved: input.send_resolved ?? true,
        });
  const kind = input.in_maintenance && due !== "resolved" ? null : due;
  if (kind === "firing" || kind === "repeat") next.last_notified_at = minute;
  return {
    state: next,
    notification: kind ? { kind } : null,
    transition: next.status === base.status ? null : { from: base.status, to: next.status },
  };
}

interface NotifyContext {
  minute: number;
  silenced: boolean;
  repeatMs: number;
  sendResolved: boolean;
}

function notificationKind(
  before: IncidentState,
  next: IncidentState,
  ctx: NotifyContext,
): NotificationKind | null {
  if (ctx.silenced) return null;
  if (next.status === "firing") {
    // The first firing always goes out (also when the incident was acknowledged while
    // pending, or its firing was deferred by a silence); an ack stops only the reminders.
    if (next.last_notified_at === null) return "firing";
    if (next.acked_at !== null) return null;
    return ctx.minute - next.last_notified_at >= ctx.repeatMs ? "repeat" : null;
  }
  // Like Alertmanager, only a receiver that heard about the firing hears it resolve.
  const resolvedNow = next.status === "resolved" && before.status === "firing";
  return resolvedNow && ctx.sendResolved && before.last_notified_at !== null ? "resolved" : null;
}

function advance(s: IncidentState, signal: Signal, minute: number, forMs: number): IncidentState {
  if (signal === "hold") return s;
  switch (s.status) {
    case "inactive":
    case "resolved": {
      if (signal === "ok") return s;
      const episode: IncidentState = {
        ...s,
        status: "pending",
        started_at: minute,
        firing_at: null,
        resolved_at: null,
        last_notified_at: null,
        acked_at: null,
      };
      return forMs === 0 ? { ...episode, status: "firing", firing_at: minute } : episode;
    }
    case "pending": {
      if (signal === "ok") return { ...s, status: "inactive", started_at: null, acked_at: null };
      const since = s.started_at ?? minute;
      return minute - since >= forMs ? { ...s, status: "firing", firing_at: minute } : s;
    }
    case "firing":
      return signal === "ok" ? { ...s, status: "resolved", resolved_at: minute } : s;
  }
}

/** FNV-1a 64-bit over UTF-8 bytes, as 16 lowercase hex digits. Not cryptographic. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/** Stable id of the (deployment, rule) pair; NUL separates the parts so "a"+"bc" ≠ "ab"+"c". */
export function incidentFingerprint(deploymentId: string, ruleId: string): string {
  return fnv1a64(`${deploymentId}\u0000${ruleId}`);
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1 };

function compareItems(a: NotificationItem, b: NotificationItem): number {
  if (a.status !== b.status) return a.status === "firing" ? -1 : 1;
  const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  return a.rule_name < b.rule_name ? -1 : a.rule_name > b.rule_name ? 1 : 0;
}

/** One group per deployment per evaluation minute, in a deterministic order. */
export function groupNotifications(items: readonly NotificationItem[]): NotificationGroup[] {
  const byKey = new Map<string, NotificationItem[]>();
  for (const item of items) {
    const key = `${item.deployment_id}\u0000${item.evaluated_at}`;
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  }
  const groups: NotificationGroup[] = [];
  for (const [key, list] of byKey) {
    const sorted = [...list].sort(compareItems);
    const [first] = sorted;
    if (!first) continue;
    const firing = sorted.filter((i) => i.status === "firing");
    const ranked = firing.length > 0 ? firing : sorted;
    const critical = ranked.some((i) => i.severity === "critical");
    groups.push({
      group_key: fnv1a64(key),
      deployment_id: first.deployment_id,
      environment: first.environment,
      slug: first.slug,
      evaluated_at: first.evaluated_at,
      status: firing.length > 0 ? "firing" : "resolved",
      severity: critical ? "critical" : "warning",
      items: sorted,
    });
  }
  return groups.sort((a, b) =>
    a.deployment_id === b.deployment_id
      ? a.evaluated_at - b.evaluated_at
      : a.deployment_id < b.deployment_id
        ? -1
        : 1,
  );
}
