// Slack Block Kit messages: header, fields, release, dashboard link and Slack's size limits.
import { describe, expect, it } from "vitest";
import type {
  NotificationGroup,
  NotificationItem,
} from "../../../src/alerts/delivery/notification-types";
import {
  buildSlackMessage,
  escapeMrkdwn,
  SLACK_LIMITS,
  type SlackBlock,
  truncate,
} from "../../../src/alerts/delivery/slack";
import { groupNotifications } from "../../../src/alerts/incidents/incident-machine";

const T0 = Date.UTC(2026, 0, 5, 9, 0);

function item(over: Partial<NotificationItem> = {}): NotificationItem {
  return {
    deployment_id: "dep_1",
    environment: "production",
    slug: "support-bot",
    rule_id: "rule_1",
    rule_name: "Thumbs-down rate",
    severity: "critical",
    metric: "thumbs_down_rate",
    status: "firing",
    repeat: false,
    value: 0.12,
    baseline_value: 0.05,
    test: "two_proportion_z",
    statistic: 4.213,
    threshold: 3.29,
    message: "thumbs-down rate 12 % vs 5 % baseline, n = 200 thumbs",
    reason: "fired because z = 4.2 ≥ 3.29",
    release: { version: "v42", previous_version: "v41" },
    dashboard_url: "https://driftwatch.example/d/support-bot?metric=thumbs_down_rate",
    incident_id: "inc_1",
    started_at: T0,
    evaluated_at: T0,
    ...over,
  };
}

function group(items: NotificationItem[]): NotificationGroup {
  const [g] = groupNotifications(items);
  if (!g) throw new Error("no group");
  return g;
}

const headerText = (blocks: SlackBlock[]) => {
  const [first] = blocks;
  return first?.type === "header" ? first.text.text : null;
};
const sections = (blocks: SlackBlock[]) => blocks.flatMap((b) => (b.type === "section" ? [b] : []));

describe("Slack message", () => {
  it("puts severity and deployment in the header", () => {
    const message = buildSlackMessage(group([item()]));
    expect(headerText(message.blocks)).toBe("🔴 CRITICAL · support-bot (production)");
    const warning = buildSlackMessage(group([item({ severity: "warning" })]));
    expect(headerText(warning.blocks)).toBe("🟠 WARNING · support-bot (production)");
  });

  it("says RESOLVED when every alert in the group cleared", () => {
    const message = buildSlackMessage(group([item({ status: "resolved" })]));
    expect(headerText(message.blocks)).toBe("✅ RESOLVED · support-bot (production)");
    expect(message.text).toContain("(resolved)");
  });

  it("shows metric, baseline, current value and release as fields, and the reason under the values", () => {
    const [section] = sections(buildSlackMessage(group([item()])).blocks);
    const fields = section?.fields?.map((f) => f.text) ?? [];
    expect(fields).toEqual([
      "*Metric*\nthumbs_down_rate",
      "*Baseline*\n0.05",
      "*Current*\n0.12",
      "*Release*\nv42 (was v41)",
    ]);
    expect(section?.text.text).toBe(
      "🔴 *Thumbs-down rate* (firing)\nthumbs-down rate 12 % vs 5 % baseline, n = 200 thumbs.\nFired because z = 4.2 ≥ 3.29.",
    );
  });

  it("says how big the change is, with its interval, between the values and the reason", () => {
    const effect = {
      kind: "difference",
      of: "thumbs-down rate",
      estimate: 0.257,
      lower: 0.198,
      upper: 0.315,
      level: 0.95,
      method: "newcombe_hybrid_score",
      text: "+25.7 points (95 % CI 19.8 to 31.5)",
    } as const;
    const message = buildSlackMessage(group([item({ effect })]));
    expect(sections(message.blocks)[0]?.text.text).toBe(
      "🔴 *Thumbs-down rate* (firing)\nthumbs-down rate 12 % vs 5 % baseline, n = 200 thumbs.\nEffect: thumbs-down rate +25.7 points (95 % CI 19.8 to 31.5).\nFired because z = 4.2 ≥ 3.29.",
    );
    expect(message.text).toBe(
      "🔴 CRITICAL · support-bot (production): Thumbs-down rate (firing): thumbs-down rate 12 % vs 5 % baseline, n = 200 thumbs. Effect: thumbs-down rate +25.7 points (95 % CI 19.8 to 31.5). Fired because z = 4.2 ≥ 3.29.",
    );
  });

  it("says where the change is on a line of its own after the effect", () => {
    const where = {
      everywhere: false,
      looked_at: 12,
      segments: [],
      text: "72 % of the extra thumbs-down come from locale=ja (5.0 % → 31.0 %) (12 segments looked at)",
    };
    const message = buildSlackMessage(group([item({ where })]));
    expect(sections(message.blocks)[0]?.text.text).toBe(
      "🔴 *Thumbs-down rate* (firing)\nthumbs-down rate 12 % vs 5 % baseline, n = 200 thumbs.\nWhere: 72 % of the extra thumbs-down come from locale=ja (5.0 % → 31.0 %) (12 segments looked at).\nFired because z = 4.2 ≥ 3.29.",
    );
    const everywhere = {
      ...where,
      everywhere: true,
      text: "everywhere: no segment stands out (12 segments looked at)",
    };
    expect(buildSlackMessage(group([item({ where: everywhere })])).text).toContain(
      "Where: everywhere: no segment stands out (12 segments looked at). Fired because",
    );
  });

  it("escapes segment values in the Where line, so a tag value cannot forge a link", () => {
    const where = {
      everywhere: false,
      looked_at: 2,
      segments: [],
      text: "90 % of the extra errors come from team=<!channel>",
    };
    const message = buildSlackMessage(group([item({ where })]));
    expect(sections(message.blocks)[0]?.text.text).toContain("team=&lt;!channel&gt;");
  });

  it("writes a resolve as whole sentences, in the section and in the fallback text", () => {
    const resolved = item({
      status: "resolved",
      message: "thumbs-down rate 6 % vs 5 % baseline, n = 200 thumbs",
      reason:
        "resolved because p (exact Poisson tail) = 0.0011, not < 3e-5. It fires only when every condition holds, and z = 4.1 ≥ 3 alone does not",
    });
    const message = buildSlackMessage(group([resolved]));
    expect(sections(message.blocks)[0]?.text.text).toBe(
      "✅ *Thumbs-down rate* (resolved)\nthumbs-down rate 6 % vs 5 % baseline, n = 200 thumbs.\nResolved because p (exact Poisson tail) = 0.0011, not &lt; 3e-5. It fires only when every condition holds, and z = 4.1 ≥ 3 alone does not.",
    );
    expect(message.text).toBe(
      "✅ RESOLVED · support-bot (production): Thumbs-down rate (resolved): thumbs-down rate 6 % vs 5 % baseline, n = 200 thumbs. Resolved because p (exact Poisson tail) = 0.0011, not < 3e-5. It fires only when every condition holds, and z = 4.1 ≥ 3 alone does not.",
    );
  });

  it("heads a later signal of a change's incident as 1 more signal of it, listing every signal firing", () => {
    const more = item({
      rule_name: "Answer length",
      severity: "warning",
      incident_id: "inc_2",
      group: {
        id: "inc_1",
        title: "Thumbs-down rate",
        signals: ["Thumbs-down rate", "Answer length"],
        more: true,
        open: true,
      },
    });
    const message = buildSlackMessage(group([more]));
    expect(headerText(message.blocks)).toBe(
      "🟠 1 more signal of Thumbs-down rate · support-bot (production)",
    );
    expect(sections(message.blocks)[0]?.text.text).toContain(
      "🟠 *Answer length* (firing, 1 more signal of Thumbs-down rate)",
    );
    const context = message.blocks.find((b) => b.type === "context");
    expect(context?.type === "context" && context.elements[0]?.text).toContain(
      "Incident inc_2 · signal of incident inc_1 · signals firing: Thumbs-down rate, Answer length ·",
    );
  });

  it("does not say RESOLVED while another signal of the change's incident still fires, and does once the last resolves", () => {
    const ref = { id: "inc_1", title: "Thumbs-down rate", more: true };
    const one = item({
      status: "resolved",
      rule_name: "Answer length",
      incident_id: "inc_2",
      group: { ...ref, signals: ["Thumbs-down rate"], open: true },
    });
    const message = buildSlackMessage(group([one]));
    expect(headerText(message.blocks)).toBe(
      "↘️ 1 signal back to normal · Thumbs-down rate still firing · support-bot (production)",
    );
    expect(message.text).not.toContain("RESOLVED");
    expect(sections(message.blocks)[0]?.text.text).toContain(
      "*Answer length* (back to normal; Thumbs-down rate still firing)",
    );
    const other = item({
      status: "resolved",
      rule_name: "Latency",
      incident_id: "inc_9",
      group: { id: "inc_9", title: "Latency", signals: [], more: false, open: false },
    });
    expect(headerText(buildSlackMessage(group([one, other])).blocks)).toBe(
      "↘️ BACK TO NORMAL · support-bot (production) · 2 alerts",
    );
    const last = item({ status: "resolved", group: { ...ref, signals: [], open: false } });
    expect(headerText(buildSlackMessage(group([last])).blocks)).toBe(
      "✅ RESOLVED · support-bot (production)",
    );
  });

  it("after a rollback names the release live now and the one live when the incident opened", () => {
    const release = {
      version: "prompt v14",
      previous_version: "prompt v13",
      live: "prompt v13",
      at_open: "prompt v14",
    };
    const [section] = sections(
      buildSlackMessage(group([item({ status: "resolved", release })])).blocks,
    );
    expect(section?.fields?.find((f) => f.text.startsWith("*Release*"))?.text).toBe(
      "*Release*\nlive now: prompt v13\nwhen the incident opened: prompt v14",
    );
    const same = { ...release, live: "prompt v14" };
    const [firing] = sections(buildSlackMessage(group([item({ release: same })])).blocks);
    expect(firing?.fields?.find((f) => f.text.startsWith("*Release*"))?.text).toBe(
      "*Release*\nprompt v14 (was prompt v13)",
    );
    const again = { ...release, at_open: "prompt v13" };
    const [later] = sections(buildSlackMessage(group([item({ release: again })])).blocks);
    expect(later?.fields?.find((f) => f.text.startsWith("*Release*"))?.text).toBe(
      "*Release*\nprompt v13 (live again after prompt v14)",
    );
  });

  it("leaves out the release field when no release changed and marks reminders", () => {
    const [section] = sections(
      buildSlackMessage(group([item({ release: null, repeat: true })])).blocks,
    );
    expect(section?.fields?.some((f) => f.text.startsWith("*Release*"))).toBe(false);
    expect(section?.text.text).toContain("(still firing)");
  });

  it("links the dashboard chart with a button and in the context line", () => {
    const message = buildSlackMessage(group([item()]));
    const [section] = sections(message.blocks);
    expect(section?.accessory?.url).toBe(item().dashboard_url);
    const context = message.blocks.find((b) => b.type === "context");
    expect(context?.type === "context" && context.elements[0]?.text).toContain(
      `<${item().dashboard_url}|dashboard>`,
    );
  });

  it("says firing since when it fired and pending since its first breach, one meaning per label", () => {
    const contextOf = (over: Partial<NotificationItem>) => {
      const context = buildSlackMessage(group([item(over)])).blocks.find(
        (b) => b.type === "context",
      );
      return context?.type === "context" ? (context.elements[0]?.text ?? "") : "";
    };
    const fired = T0 + 5 * 60_000;
    const both = contextOf({ started_at: T0, firing_at: fired });
    expect(both).toContain(
      `<!date^${fired / 1000}^firing since {date_short_pretty} {time}|firing since 2026-01-05T09:05:00.000Z>`,
    );
    expect(both).toContain(
      `<!date^${T0 / 1000}^pending since {date_short_pretty} {time}|pending since 2026-01-05T09:00:00.000Z>`,
    );
    expect(both.indexOf("firing since")).toBeLessThan(both.indexOf("pending since"));
    const atOnce = contextOf({ started_at: T0, firing_at: T0 });
    expect(atOnce).toContain("firing since");
    expect(atOnce).not.toContain("pending since");
  });

  it("escapes user text so it cannot inject Slack links or mentions", () => {
    expect(escapeMrkdwn("<!channel> & <http://x|y>")).toBe(
      "&lt;!channel&gt; &amp; &lt;http://x|y&gt;",
    );
    const [section] = sections(buildSlackMessage(group([item({ rule_name: "<!here>" })])).blocks);
    expect(section?.text.text).toContain("&lt;!here&gt;");
  });

  it("renders missing values as n/a and appends units", () => {
    const [section] = sections(
      buildSlackMessage(group([item({ value: 2400, baseline_value: null, unit: "ms" })])).blocks,
    );
    expect(section?.fields?.[1]?.text).toBe("*Baseline*\nn/a");
    expect(section?.fields?.[2]?.text).toBe("*Current*\n2400 ms");
  });

  it("gives a plain-text fallback naming the deployment and each alert", () => {
    const message = buildSlackMessage(group([item(), item({ rule_name: "p95 latency" })]));
    expect(message.text).toMatch(/^🔴 CRITICAL · support-bot \(production\) · 2 alerts: /);
    expect(message.text).toContain("p95 latency (firing)");
  });
});

describe("Slack limits", () => {
  it("truncates a long header to 150 characters", () => {
    const message = buildSlackMessage(group([item({ slug: "s".repeat(400) })]));
    const text = headerText(message.blocks) ?? "";
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(text.endsWith("…")).toBe(true);
  });

  it("keeps at most 50 blocks and says how many alerts were left out", () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      item({ rule_id: `r${i}`, rule_name: `Rule ${String(i).padStart(2, "0")}` }),
    );
    const message = buildSlackMessage(group(items));
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const lastBlock = message.blocks.at(-1);
    expect(lastBlock?.type === "context" && lastBlock.elements[0]?.text).toBe(
      "…and 16 more alerts for this deployment.",
    );
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it("fits 24 alerts without an overflow note", () => {
    const items = Array.from({ length: 24 }, (_, i) => item({ rule_name: `Rule ${i}` }));
    const blocks = buildSlackMessage(group(items)).blocks;
    expect(blocks).toHaveLength(49);
  });

  it("caps section text at 3000 and field text at 2000 characters, at most 10 fields", () => {
    const message = buildSlackMessage(
      group([item({ message: "x".repeat(5000), metric: "m".repeat(2500) })]),
    );
    for (const section of sections(message.blocks)) {
      expect(section.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(section.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of section.fields ?? []) {
        expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      }
    }
  });

  it("drops the button when the dashboard URL is too long or not http(s)", () => {
    const long = `https://driftwatch.example/${"a".repeat(3100)}`;
    for (const dashboard_url of [long, "javascript:alert(1)"]) {
      const [section] = sections(buildSlackMessage(group([item({ dashboard_url })])).blocks);
      expect(section?.accessory).toBeUndefined();
    }
  });

  it("never splits an emoji when truncating", () => {
    const cut = truncate("ab🔴cd", 4);
    expect(cut).toBe("ab…");
    expect(truncate("short", 10)).toBe("short");
  });
});
