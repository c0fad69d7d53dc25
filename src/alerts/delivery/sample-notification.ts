// The sample alert sent by POST /v1/channels/:id/test.
import type { NotificationGroup } from "./notification-types";

export function sampleGroup(
  channel: { id: string; name: string },
  origin: string,
  now: number,
): NotificationGroup {
  const minute = Math.floor(now / 60_000) * 60_000;
  return {
    group_key: `test_${channel.id}_${now.toString(36)}`,
    deployment_id: "sample:production:support-bot",
    environment: "production",
    slug: "support-bot",
    evaluated_at: minute,
    status: "firing",
    severity: "warning",
    items: [
      {
        deployment_id: "sample:production:support-bot",
        environment: "production",
        slug: "support-bot",
        rule_id: "test",
        rule_name: `Test notification for channel "${channel.name}"`,
        severity: "warning",
        metric: "thumbs_down_rate",
        status: "firing",
        repeat: false,
        value: 0.121,
        baseline_value: 0.05,
        test: "two_proportion_z",
        statistic: 6.2,
        threshold: 3,
        unit: "ratio",
        message: "This is a test: thumbs-down rate 12.1 % vs 5 % baseline, n = 400 thumbs",
        reason: "fired because z = 6.2 ≥ 3",
        conditions: [{ name: "z", value: "6.2", fires: "≥ 3", holds: true }],
        release: {
          version: "prompt v14",
          previous_version: "prompt v13",
          first_seen_at: minute - 3_600_000,
          live: "prompt v14",
          at_open: "prompt v14",
        },
        dashboard_url: `${origin}/dashboard`,
        incident_id: "test",
        started_at: minute,
        firing_at: minute,
        evaluated_at: minute,
      },
    ],
  };
}
