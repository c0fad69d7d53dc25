// Incident updates written by people on the public page: the timeline (escaped, line breaks
// kept), the Atom feed (parsed), summary.json and incidents.json (Statuspage v2 shapes), and an
// incident the team hid left off all of them.
import { env } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { StatusIncidentsSchema, StatusSummarySchema } from "../../src/status/statuspage-v2-schema";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours, seedIncident } from "./seed";

const NOW = Date.now();
const HOUR = 3_600_000;

const TEXT = "Rolled back v14: p95 < 2 s & falling.\nWatching for an hour.";

/** An incident as the evaluator leaves it (the whole machine state), for the API to act on. */
async function incident(
  projectId: string,
  deploymentId: string,
  firingAt: number,
  ackedAt?: number,
) {
  const id = uniqueSlug("inc");
  await seedIncident({
    id,
    projectId,
    deploymentId,
    severity: "critical",
    metric: "thumbs_down_rate",
    status: "firing",
    firingAt,
    ackedAt: ackedAt ?? null,
  });
  const state = {
    fingerprint: `${deploymentId}|${id}`,
    status: "firing",
    started_at: firingAt - 5 * 60_000,
    firing_at: firingAt,
    resolved_at: null,
    last_notified_at: firingAt,
    last_evaluated_minute: NOW - 60_000,
    acked_at: ackedAt ?? null,
    silenced_until: null,
    last_value: 0.2,
  };
  await env.DB.prepare("UPDATE incidents SET state = ? WHERE id = ?")
    .bind(JSON.stringify(state), id)
    .run();
  return id;
}

async function write(key: string, id: string, status: string, text: string) {
  const res = await call(`/v1/incidents/${id}/updates`, {
    method: "POST",
    key,
    json: { status, text },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { update: { id: string } }).update.id;
}

/** A page with one open incident (acknowledged, then a written update) and one resolved by a written update. */
async function pageWithUpdates() {
  const p = await createProject("updates-page");
  const slug = uniqueSlug("acme");
  const bot = uniqueSlug("bot");
  const botId = await seedDeployment(p.id, bot, NOW);
  await seedHours(botId, NOW, 24);
  const open = await incident(p.id, botId, NOW - HOUR, NOW - 30 * 60_000);
  const done = await incident(p.id, botId, NOW - 5 * HOUR);
  const monitoring = await write(p.admin, open, "monitoring", TEXT);
  const identified = await write(p.admin, done, "identified", "A bad prompt: v14 > v13 <= v12.");
  const resolved = await write(p.admin, done, "resolved", "Fixed for good.");
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: { status_page: { slug, title: "Acme", deployments: [{ slug: bot, name: "Bot" }] } },
  });
  expect(res.status).toBe(200);
  return { p, slug, open, done, monitoring, identified, resolved };
}

describe("written incident updates on the status page", () => {
  it("shows them on the incident's timeline, escaped, with the line break kept as text", async () => {
    const w = await pageWithUpdates();
    const html = await (await call(`/status/${w.slug}`)).text();
    expect(html).toContain(`id="u-${w.monitoring}"`);
    expect(html).toContain(
      "<b>Monitoring</b> Rolled back v14: p95 &lt; 2 s &amp; falling.\nWatching for an hour.</li>",
    );
    // The incident resolved by its update is listed with its written updates.
    expect(html).toContain(`id="u-${w.identified}"`);
    expect(html).toContain("A bad prompt: v14 &gt; v13 &lt;= v12.");
    expect(html).toContain(`id="u-${w.resolved}"`);
    expect(html).not.toContain("v13 <= v12");
  });

  it("lists them as Statuspage v2 incident_updates in summary.json and incidents.json", async () => {
    const w = await pageWithUpdates();
    const summary = StatusSummarySchema.parse(
      await (await call(`/status/${w.slug}/summary.json`)).json(),
    );
    expect(summary.incidents.map((i) => i.id)).toEqual([w.open]);
    const open = summary.incidents[0];
    expect(open?.status).toBe("monitoring");
    expect(open?.monitoring_at).not.toBeNull();
    expect(open?.incident_updates.map((u) => [u.status, u.id])).toEqual([
      ["monitoring", w.monitoring],
      ["identified", `${w.open}-acknowledged`],
      ["investigating", `${w.open}-detected`],
    ]);
    expect(open?.incident_updates[0]?.body).toBe(TEXT);
    const all = StatusIncidentsSchema.parse(
      await (await call(`/status/${w.slug}/incidents.json`)).json(),
    );
    expect(all.incidents.map((i) => i.id)).toEqual([w.open, w.done]);
    const done = all.incidents[1];
    expect(done?.status).toBe("resolved");
    // The team's resolution stands for it: no generated one beside it.
    expect(done?.incident_updates.map((u) => [u.status, u.body])).toEqual([
      ["resolved", "Fixed for good."],
      ["identified", "A bad prompt: v14 > v13 <= v12."],
      ["investigating", "More users unhappy with answers on Bot."],
    ]);
  });

  it("adds one Atom entry per written update, which a parser reads back as typed", async () => {
    const w = await pageWithUpdates();
    const xml = await (await call(`/status/${w.slug}/feed.atom`)).text();
    const feed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as {
      feed: { entry: { id: string; title: string; summary: { "#text": string } }[] };
    };
    const entries = feed.feed.entry;
    // Two incidents and three written updates.
    expect(entries).toHaveLength(5);
    const byId = new Map(entries.map((e) => [e.id.split("#")[1], e]));
    expect(byId.get(`u-${w.monitoring}`)?.summary["#text"]).toBe(TEXT);
    expect(byId.get(`u-${w.monitoring}`)?.title).toBe(
      "Bot: More users unhappy with answers (Monitoring)",
    );
    expect(byId.get(`u-${w.identified}`)?.summary["#text"]).toBe("A bad prompt: v14 > v13 <= v12.");
    expect(byId.has(`i-${w.open}`)).toBe(true);
  });

  it("leaves an incident the team hid off the page, its feed and its JSON", async () => {
    const w = await pageWithUpdates();
    const res = await call(`/v1/incidents/${w.open}`, {
      method: "PATCH",
      key: w.p.admin,
      json: { public: false },
    });
    expect(res.status).toBe(200);
    const html = await (await call(`/status/${w.slug}`)).text();
    expect(html).not.toContain(`i-${w.open}`);
    expect(html).not.toContain("Watching for an hour");
    expect(html).toContain(`i-${w.done}`);
    const summary = StatusSummarySchema.parse(
      await (await call(`/status/${w.slug}/summary.json`)).json(),
    );
    expect(summary.incidents).toEqual([]);
    expect(summary.components[0]?.status).toBe("operational");
    const xml = await (await call(`/status/${w.slug}/feed.atom`)).text();
    expect(xml).not.toContain(w.open);
    expect(xml).not.toContain(w.monitoring);
  });
});
