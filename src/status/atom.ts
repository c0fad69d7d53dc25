// The status page's incidents as an Atom feed (RFC 4287): one entry per incident, updated
// as it is acknowledged and resolved, and one per update the team wrote on it. Every
// interpolated value is escaped by `html`.
import { html } from "hono/html";
import { formatWhen } from "./format";
import type { StatusIncident, StatusModel, WrittenUpdate } from "./page-model";
import { dayStart } from "./state";
import { UPDATE_LABELS } from "./written-updates";

const iso = (ms: number) => new Date(ms).toISOString();

function summaryOf(i: StatusIncident): string {
  const lines = [`${i.title} on ${i.componentName}. Detected ${formatWhen(i.openedAt)}.`];
  if (i.signals.length > 1) lines.push(`Signals: ${i.signals.join(", ")}.`);
  if (i.release) lines.push(`It follows a change: ${i.release.summary}.`);
  if (i.ackedAt) lines.push(`Acknowledged ${formatWhen(i.ackedAt)}.`);
  lines.push(i.resolvedAt ? `Resolved ${formatWhen(i.resolvedAt)}.` : "Ongoing.");
  return lines.join(" ");
}

const updateEntry = (i: StatusIncident, u: WrittenUpdate, pageUrl: string) => html`
  <entry>
    <id>${pageUrl}#u-${u.id}</id>
    <title>${i.componentName}: ${i.title} (${UPDATE_LABELS[u.status]})</title>
    <updated>${iso(u.at)}</updated>
    <published>${iso(u.at)}</published>
    <link rel="alternate" type="text/html" href="${pageUrl}#u-${u.id}"/>
    <summary type="text">${u.text}</summary>
  </entry>`;

export async function atomFeed(m: StatusModel, pageUrl: string): Promise<string> {
  // Atom needs an `updated` even with no entries: the day's start keeps the body stable.
  const updated = iso(m.updatedAt || dayStart(m.now));
  const entries = m.incidents.flatMap((i) => [
    ...i.updates.map((u) => updateEntry(i, u, pageUrl)),
    html`
  <entry>
    <id>${pageUrl}#i-${i.id}</id>
    <title>${i.componentName}: ${i.title}${i.open ? "" : " (resolved)"}</title>
    <updated>${iso(i.updatedAt)}</updated>
    <published>${iso(i.openedAt)}</published>
    <link rel="alternate" type="text/html" href="${pageUrl}#i-${i.id}"/>
    <summary type="text">${summaryOf(i)}</summary>
  </entry>`,
  ]);
  const feed = await html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${pageUrl}</id>
  <title>${m.title} status</title>
  <updated>${updated}</updated>
  <link rel="self" type="application/atom+xml" href="${pageUrl}/feed.atom"/>
  <link rel="alternate" type="text/html" href="${pageUrl}"/>
  <author><name>${m.title}</name></author>${entries}
</feed>
`;
  return String(feed);
}
