// The generic webhook JSON body ("driftwatch.alert.v1") for one deployment's notification group.
import type { Condition } from "../evaluation/check-result";
import type { Attribution, EffectSize } from "../evaluation/effect-types";
import type { NotificationGroup, ReleaseInfo, Severity } from "./notification-types";

export const WEBHOOK_PAYLOAD_TYPE = "driftwatch.alert.v1";

export interface WebhookNotification {
  incident_id: string;
  rule_id: string;
  rule_name: string;
  status: "firing" | "resolved";
  repeat: boolean;
  severity: Severity;
  metric: string;
  value: number | null;
  baseline_value: number | null;
  unit: string | null;
  test: string;
  statistic: number | null;
  threshold: number;
  /** The values compared. */
  message: string;
  /** Which conditions decided: "fired because …", "resolved because …". */
  reason: string;
  /** Every condition of the rule's test at this evaluation; firing needs all to hold. */
  conditions: Condition[];
  /** How big the change is, with its 95 % interval and the method (docs/detection.md). */
  effect: EffectSize | null;
  /** Where the change is: segments with their share of the excess, or everywhere. */
  where: Attribution | null;
  release: {
    version: string;
    previous_version: string | null;
    first_seen_at: string | null;
    /** The release serving traffic now, and when the incident opened (differ after a rollback). */
    live: string | null;
    at_open: string | null;
  } | null;
  dashboard_url: string;
  /** First breach of the episode (pending since). */
  started_at: string;
  /** When it started firing (firing since); null if it never fired. */
  firing_at: string | null;
  /**
   * The incident this signal belongs to: the id of the first incident its change fired
   * (its own id when it is the first). Stable across the change's signals: thread on it.
   */
  group_id: string;
  /** The change's incident: worst firing signal, every signal firing, another signal or not. */
  group: {
    title: string;
    signals: string[];
    /** True when another signal of this incident was announced before this one. */
    more: boolean;
    /** False once the last signal resolved: only then is the incident over. */
    open: boolean;
  };
}

export interface WebhookPayload {
  type: typeof WEBHOOK_PAYLOAD_TYPE;
  /** Same as the webhook-id header: stable across retries, for receiver-side dedup. */
  id: string;
  status: "firing" | "resolved";
  severity: Severity;
  deployment: { id: string; slug: string };
  environment: string;
  evaluated_at: string;
  notifications: WebhookNotification[];
  sent_at: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function release(info: ReleaseInfo | null | undefined): WebhookNotification["release"] {
  if (!info) return null;
  return {
    version: info.version,
    previous_version: info.previous_version ?? null,
    first_seen_at: info.first_seen_at == null ? null : iso(info.first_seen_at),
    live: info.live ?? null,
    at_open: info.at_open ?? null,
  };
}

/** The webhook-id for a group: "msg_" + its stable key. */
export function webhookMessageId(group: NotificationGroup): string {
  return `msg_${group.group_key}`;
}

/** Builds the body; `sentAt` (epoch ms) is passed in so the function stays pure. */
export function buildWebhookPayload(group: NotificationGroup, sentAt: number): WebhookPayload {
  return {
    type: WEBHOOK_PAYLOAD_TYPE,
    id: webhookMessageId(group),
    status: group.status,
    severity: group.severity,
    deployment: { id: group.deployment_id, slug: group.slug },
    environment: group.environment,
    evaluated_at: iso(group.evaluated_at),
    notifications: group.items.map((item) => ({
      incident_id: item.incident_id,
      rule_id: item.rule_id,
      rule_name: item.rule_name,
      status: item.status,
      repeat: item.repeat,
      severity: item.severity,
      metric: item.metric,
      value: item.value,
      baseline_value: item.baseline_value,
      unit: item.unit ?? null,
      test: item.test,
      statistic: item.statistic,
      threshold: item.threshold,
      message: item.message,
      reason: item.reason,
      conditions: item.conditions ?? [],
      effect: item.effect ?? null,
      where: item.where ?? null,
      release: release(item.release),
      dashboard_url: item.dashboard_url,
      started_at: iso(item.started_at),
      firing_at: item.firing_at == null ? null : iso(item.firing_at),
      group_id: item.group?.id ?? item.incident_id,
      group: {
        title: item.group?.title ?? item.rule_name,
        signals: item.group?.signals ?? (item.status === "firing" ? [item.rule_name] : []),
        more: item.group?.more ?? false,
        open: item.group?.open ?? item.status === "firing",
      },
    })),
    sent_at: iso(sentAt),
  };
}
