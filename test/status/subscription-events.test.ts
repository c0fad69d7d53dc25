// The pure parts of status page subscriptions: which events a page's incidents and
// maintenance make (each with a stable key), who follows them, and the subscribe form's rules.
import { describe, expect, it } from "vitest";
import type { StatusMaintenance } from "../../src/status/maintenance-model";
import type { StatusIncident } from "../../src/status/page-model";
import { follows, pageEvents } from "../../src/status/subscriptions/page-events";
import { parseSubscribeForm } from "../../src/status/subscriptions/subscribe-form";

const T = Date.UTC(2026, 11, 2, 9, 0);
const MIN = 60_000;
const HOUR_LATER = 60 * MIN;

const incident = (over: Partial<StatusIncident> = {}): StatusIncident => ({
  id: "inc_1",
  componentId: "production/bot",
  componentName: "Bot",
  title: "Slower answers",
  signals: ["Slower answers"],
  metric: "latency_ms",
  metrics: ["latency_ms"],
  severity: "warning",
  impact: "degraded",
  open: true,
  openedAt: T,
  ackedAt: null,
  resolvedAt: null,
  updatedAt: T,
  release: null,
  updates: [],
  ...over,
});

const window = (over: Partial<StatusMaintenance> = {}): StatusMaintenance => ({
  id: "mnt_1",
  title: "Upgrade",
  text: "Slower",
  startsAt: T + 10 * MIN,
  endsAt: T + 70 * MIN,
  phase: "scheduled",
  components: [{ id: "production/search", name: "Search" }],
  createdAt: T - MIN,
  updatedAt: T - MIN,
  ...over,
});

describe("a page's events", () => {
  it("lists an incident's opening, each written update and its resolution, and its component's changes, oldest first", () => {
    const i = incident({
      open: false,
      resolvedAt: T + 30 * MIN,
      updates: [{ id: "upd_a", status: "identified", text: "Found it", at: T + 5 * MIN }],
    });
    expect(pageEvents([i], [], T + HOUR_LATER).map((e) => [e.key, e.what, e.at - T])).toEqual([
      ["inc_1:component:opened", "opened", 0],
      ["inc_1:opened", "opened", 0],
      ["inc_1:upd_a", "identified", 5 * MIN],
      ["inc_1:component:resolved", "resolved", 30 * MIN],
      ["inc_1:resolved", "resolved", 30 * MIN],
    ]);
  });

  it("announces a resolution the team wrote as their update, with no generated one beside it", () => {
    const i = incident({
      resolvedAt: T + 9 * MIN,
      updates: [{ id: "upd_r", status: "resolved", text: "Fixed", at: T + 9 * MIN }],
    });
    expect(pageEvents([i], [], T + HOUR_LATER).map((e) => e.key)).toEqual([
      "inc_1:component:opened",
      "inc_1:opened",
      "inc_1:component:resolved",
      "inc_1:upd_r",
    ]);
  });

  it("lists a maintenance window's start once it started and its end once it is over", () => {
    expect(pageEvents([], [window()], T + 5 * MIN)).toEqual([]);
    expect(pageEvents([], [window()], T + 20 * MIN).map((e) => e.key)).toEqual([
      "mnt_1:in_progress",
    ]);
    const both = pageEvents([], [window()], T + 80 * MIN);
    expect(both.map((e) => [e.key, e.kind === "maintenance" && e.maintenance.phase])).toEqual([
      ["mnt_1:in_progress", "in_progress"],
      ["mnt_1:completed", "completed"],
    ]);
  });

  it("reaches the whole page's subscribers, and those of the components an event touches", () => {
    const [e] = pageEvents([incident()], [], T + MIN);
    if (!e) throw new Error("no event");
    expect(follows(null, e)).toBe(true);
    expect(follows(["production/bot"], e)).toBe(true);
    expect(follows(["production/search"], e)).toBe(false);
  });
});

describe("the subscribe form", () => {
  const ids = ["production/bot", "production/search"];
  const production = { allowPrivate: false, ownOrigin: "https://status.acme.dev" };

  it("takes a webhook URL and the components ticked, none meaning the whole page", () => {
    expect(
      parseSubscribeForm({ kind: "webhook", url: " https://hooks.acme.dev/x " }, ids, production),
    ).toEqual({
      ok: true,
      value: { kind: "webhook", url: "https://hooks.acme.dev/x", components: null },
    });
    expect(
      parseSubscribeForm(
        {
          kind: "webhook",
          url: "https://hooks.acme.dev/x",
          component: ["production/bot", "production/bot"],
        },
        ids,
        production,
      ),
    ).toMatchObject({ ok: true, value: { components: ["production/bot"] } });
  });

  it("names each refused field: kind, a private or plain-http URL, a component not on the page", () => {
    expect(
      parseSubscribeForm({ kind: "email", url: "https://10.1.2.3/x" }, ids, production),
    ).toEqual({
      ok: false,
      errors: {
        kind: "choose webhook or Slack",
        url: "must point at a public host, not a private address (10.0.0.0/8)",
      },
    });
    expect(
      parseSubscribeForm(
        { kind: "webhook", url: "", component: "production/other" },
        ids,
        production,
      ),
    ).toEqual({
      ok: false,
      errors: { url: "required", component: "'production/other' is not on this page" },
    });
  });

  it("takes only Slack incoming webhook URLs for Slack outside development", () => {
    const hook = "https://hooks.slack.com/services/T0001/B0001/abcdef123";
    expect(parseSubscribeForm({ kind: "slack", url: hook }, ids, production).ok).toBe(true);
    expect(
      parseSubscribeForm({ kind: "slack", url: "https://hooks.acme.dev/x" }, ids, production),
    ).toMatchObject({
      ok: false,
      errors: { url: expect.stringMatching(/Slack incoming webhook/) },
    });
  });
});
