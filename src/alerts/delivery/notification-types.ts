// Plain data shared by the incident machine, the notification builders and the delivery queue.
import type { Condition } from "../evaluation/check-result";
import type { Attribution, EffectSize } from "../evaluation/effect-types";

export type Severity = "warning" | "critical";

/** Why a notification is sent: the first firing message, a reminder, or the all-clear. */
export type NotificationKind = "firing" | "resolved" | "repeat";

/**
 * The releases an alert is about, when a release changed within the rolling baseline: the
 * latest change (`version`, replacing `previous_version`, whose traffic is the baseline), and
 * which release served traffic now and when the incident opened (after a rollback they differ).
 */
export interface ReleaseInfo {
  version: string;
  previous_version?: string | null;
  /** Epoch ms the release was first seen. */
  first_seen_at?: number | null;
  /** The release serving traffic at this evaluation. */
  live?: string | null;
  /** The release that was serving traffic when the incident opened. */
  at_open?: string | null;
}

/**
 * The incident a signal belongs to when one change explains several rules' incidents
 * (src/alerts/incidents/change-signals.ts).
 */
export interface ChangeGroupRef {
  /** The id of the group's first incident to fire: stable, for receivers to thread on. */
  id: string;
  /** The worst firing signal's rule name. */
  title: string;
  /** Every signal of the group firing after this minute, in the order they fired. */
  signals: string[];
  /** True when another signal of the group was announced before: this one adds to it. */
  more: boolean;
  /** True while any signal of the group fires (a resolve of one signal does not end it). */
  open: boolean;
}

/** One incident's message, ready to be grouped and rendered. Timestamps are epoch ms. */
export interface NotificationItem {
  deployment_id: string;
  environment: string;
  slug: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  metric: string;
  status: "firing" | "resolved";
  /** True for a reminder of an incident that already notified (kind "repeat"). */
  repeat: boolean;
  value: number | null;
  baseline_value: number | null;
  /** Name of the test or distance, e.g. "two_proportion_z" or "psi". */
  test: string;
  statistic: number | null;
  threshold: number;
  /** Appended to value and baseline when rendered, e.g. "ms" or "%". */
  unit?: string | null;
  /** The values compared: "thumbs-down rate 12 % vs 5 % baseline, n = 80 thumbs". */
  message: string;
  /** Which conditions decided: "fired because …", "resolved because …". */
  reason: string;
  /** Each condition of the test as evaluated at this minute (empty without a test). */
  conditions?: Condition[];
  /** How big the change is, with its 95 % interval (absent when the test did not run). */
  effect?: EffectSize | null;
  /** Where the change is: the segments that carry it, or everywhere (rate rules that fire). */
  where?: Attribution | null;
  release?: ReleaseInfo | null;
  dashboard_url: string;
  incident_id: string;
  /** First breach of the episode ("pending since"). */
  started_at: number;
  /** When the incident started firing ("firing since"); null or absent before it fired. */
  firing_at?: number | null;
  /** The evaluation minute (epoch ms) that produced this notification. */
  evaluated_at: number;
  /** The incident of its change this signal belongs to (absent: its own incident). */
  group?: ChangeGroupRef;
}

/** All notifications for one deployment from one evaluation: delivered as one message. */
export interface NotificationGroup {
  /** Stable id for this deployment and minute: the same on every retry (webhook-id, dedup). */
  group_key: string;
  deployment_id: string;
  environment: string;
  slug: string;
  evaluated_at: number;
  /** "firing" if any item fires, else "resolved". */
  status: "firing" | "resolved";
  /** Highest severity among firing items (among all items when everything resolved). */
  severity: Severity;
  /** Firing before resolved, critical before warning, then by rule name. */
  items: NotificationItem[];
}
