// The webhook body carries each alert's effect size with its interval and method.
import { describe, expect, it } from "vitest";
import type { NotificationItem } from "../../../src/alerts/delivery/notification-types";
import { buildWebhookPayload } from "../../../src/alerts/delivery/webhook-payload";
import { groupNotifications } from "../../../src/alerts/incidents/incident-machine";

const T0 = Date.UTC(2026, 0, 5, 9, 0);

const item = (over: Partial<NotificationItem> = {}): NotificationItem => ({
  deployment_id: "dep_1",
  environment: "production",
  slug: "support-bot",
  rule_id: "rule_1",
  rule_name: "Latency p95",
  severity: "warning",
  metric: "latency_ms",
  status: "firing",
  repeat: false,
  value: 1300,
  baseline_value: 650,
  test: "quantile_ratio",
  statistic: 2,
  threshold: 1.5,
  message: "latency p95 1,300 ms vs 650 ms baseline, n = 1500",
  reason: "fired because p95 ratio = 2 ≥ 1.5",
  dashboard_url: "https://driftwatch.example/d",
  incident_id: "inc_1",
  started_at: T0,
  evaluated_at: T0,
  ...over,
});

const notificationOf = (i: NotificationItem) => {
  const [group] = groupNotifications([i]);
  if (!group) throw new Error("no group");
  return buildWebhookPayload(group, T0).notifications[0];
};

describe("webhook payload", () => {
  it("carries the effect size with its interval, level and method", () => {
    const effect = {
      kind: "ratio",
      of: "latency p95",
      estimate: 2,
      lower: 1.84,
      upper: 2.17,
      level: 0.95,
      method: "order_statistics_price_bonett",
      text: "×2 (95 % CI 1.84 to 2.17)",
    } as const;
    expect(notificationOf(item({ effect }))?.effect).toEqual(effect);
  });

  it("says null when the alert has no effect size or attribution", () => {
    expect(notificationOf(item())?.effect).toBeNull();
    expect(notificationOf(item())?.where).toBeNull();
  });

  it("carries where the change is, with each named segment's figures", () => {
    const segment = {
      dimension: "tags.locale",
      value: "ja",
      name: "locale=ja",
      observed: 62,
      expected: 10,
      excess: 52,
      share_of_excess: 0.72,
      trials: 200,
      share_of_traffic: 0.1,
      rate: 0.31,
      baseline_rate: 0.05,
      p_value: 1e-12,
    };
    const where = { everywhere: false, looked_at: 12, segments: [segment], text: "72 % of …" };
    expect(notificationOf(item({ where }))?.where).toEqual(where);
  });
});
