// What subscribers receive (pure). Webhooks get Atlassian Statuspage's webhook shape, so
// existing consumers parse it: `meta` (with the unsubscribe link), `page` (id and rolled-up
// status) and `incident` (a Statuspage incident, or a scheduled maintenance with impact
// "maintenance"), the incident's updates up to the event, or `component_update` and
// `component` when a component's status changes with an incident; the challenge instead carries
// `challenge.confirm_url`. Slack gets one short message with the same links.
import type { SubscriberRow } from "../../alerts/subscribers/subscriber-store";
import type { StatusModel } from "../page-model";
import {
  componentOf,
  componentStatus,
  incidentOf,
  maintenanceOf,
  statusOf,
} from "../statuspage-v2";
import type { PageEvent } from "./page-events";

/** The links a subscriber's messages carry (all under the page's public URL). */
export interface SubscriberLinks {
  page: string;
  confirm: string;
  unsubscribe: string;
}

export function subscriberLinks(pageUrl: string, s: Pick<SubscriberRow, "id" | "token">) {
  const at = `${pageUrl}/subscriptions/${s.id}`;
  const token = `?token=${encodeURIComponent(s.token)}`;
  return {
    page: pageUrl,
    confirm: `${at}/confirm${token}`,
    unsubscribe: `${at}/unsubscribe${token}`,
  } satisfies SubscriberLinks;
}

/** Slack's mrkdwn: &, < and > are the only characters to escape. */
const slackText = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

const WHAT: Record<string, string> = {
  opened: "Investigating",
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  in_progress: "Maintenance in progress",
  completed: "Maintenance completed",
};

/** The incident (or maintenance) in Statuspage's shape as it stood at the event. */
function incidentAt(e: Exclude<PageEvent, { kind: "component" }>, m: StatusModel, pageUrl: string) {
  if (e.kind === "maintenance") return maintenanceOf(e.maintenance, m, pageUrl);
  const full = incidentOf(e.incident, m, pageUrl);
  const updates = full.incident_updates.filter((u) => Date.parse(u.created_at) <= e.at);
  const status = updates[0]?.status ?? "investigating";
  return {
    ...full,
    status,
    resolved_at: status === "resolved" ? full.resolved_at : null,
    incident_updates: updates,
  };
}

/**
 * Statuspage's `component_update` and `component` for a component's status changing as one
 * incident opens (operational → its impact) or resolves (back to operational).
 */
function componentUpdate(e: Extract<PageEvent, { kind: "component" }>, m: StatusModel) {
  const hit = componentStatus(e.incident.impact);
  const [old_status, new_status] =
    e.what === "opened" ? (["operational", hit] as const) : ([hit, "operational"] as const);
  const position = m.components.findIndex((c) => c.id === e.incident.componentId);
  const c = m.components[position];
  return {
    component_update: {
      id: e.key,
      component_id: e.incident.componentId,
      created_at: new Date(e.at).toISOString(),
      old_status,
      new_status,
    },
    ...(c ? { component: { ...componentOf(c, position, m), status: new_status } } : {}),
  };
}

/** The webhook body for one event. */
export function webhookEventPayload(e: PageEvent, m: StatusModel, links: SubscriberLinks) {
  const status = statusOf(m);
  return {
    meta: { unsubscribe: links.unsubscribe, documentation: `${links.page}/subscribe` },
    page: {
      id: m.slug,
      status_indicator: status.indicator,
      status_description: status.description,
    },
    ...(e.kind === "component"
      ? componentUpdate(e, m)
      : { incident: incidentAt(e, m, links.page) }),
  };
}

/** The Slack message for one event (announce.ts sends Slack no component updates). */
export function slackEventPayload(e: PageEvent, m: StatusModel, links: SubscriberLinks) {
  const name =
    e.kind === "maintenance"
      ? e.maintenance.title
      : `${e.incident.title}: ${e.incident.componentName}`;
  const anchor = e.kind === "maintenance" ? `m-${e.maintenance.id}` : `i-${e.incident.id}`;
  const lines = [
    `*${slackText(m.title)}* · ${WHAT[e.what] ?? e.what}: <${links.page}#${anchor}|${slackText(name)}>`,
    ...(e.text ? [slackText(e.text)] : []),
    `<${links.unsubscribe}|Unsubscribe>`,
  ];
  return { text: lines.join("\n") };
}

/** The body a subscriber receives for an event, by its kind. */
export function eventPayload(
  s: Pick<SubscriberRow, "kind">,
  e: PageEvent,
  m: StatusModel,
  links: SubscriberLinks,
): string {
  return JSON.stringify(
    s.kind === "slack" ? slackEventPayload(e, m, links) : webhookEventPayload(e, m, links),
  );
}

/** The challenge: the first message, asking the subscriber to confirm before anything else. */
export function challengePayload(
  s: Pick<SubscriberRow, "kind" | "createdAt">,
  page: { slug: string; title: string },
  links: SubscriberLinks,
  expiresAt: number,
): string {
  if (s.kind === "slack") {
    return JSON.stringify({
      text: `Someone subscribed this channel to *${slackText(page.title)}* status updates. <${links.confirm}|Confirm the subscription> to receive them (until ${new Date(expiresAt).toISOString()}); otherwise nothing more is sent.\n<${links.unsubscribe}|Unsubscribe>`,
    });
  }
  return JSON.stringify({
    meta: { unsubscribe: links.unsubscribe, documentation: `${links.page}/subscribe` },
    page: { id: page.slug, name: page.title, url: links.page },
    challenge: {
      confirm_url: links.confirm,
      expires_at: new Date(expiresAt).toISOString(),
      text: "POST to confirm_url (or open it and press Confirm) to receive this page's notifications.",
    },
  });
}
