// Scheduled maintenance on the public page: announced ahead of time, "under maintenance"
// while it runs (HTML and Statuspage v2 JSON: summary.json, scheduled-maintenances/upcoming.json
// and active.json), escaped text, and an incident that opened during a window marked and not
// counted against the days without incident.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  StatusMaintenancesSchema,
  StatusSummarySchema,
} from "../../src/status/statuspage-v2-schema";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours, seedIncident } from "./seed";

const NOW = Date.now();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function pageWith(windows: { from: number; to: number; text?: string }[]) {
  const p = await createProject("mnt-page");
  const slug = uniqueSlug("acme");
  const bot = uniqueSlug("bot");
  const quiet = uniqueSlug("quiet");
  const botId = await seedDeployment(p.id, bot, NOW);
  await seedHours(botId, NOW, 24);
  await seedHours(await seedDeployment(p.id, quiet, NOW), NOW, 24);
  const ids: string[] = [];
  for (const w of windows) {
    const res = await call("/v1/maintenances", {
      method: "POST",
      key: p.admin,
      json: {
        title: "Database upgrade",
        text: w.text ?? "Slower answers for a few minutes.",
        starts_at: w.from,
        ends_at: w.to,
        deployments: [{ slug: bot }],
      },
    });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { maintenance: { id: string } }).maintenance.id);
  }
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: {
      status_page: {
        slug,
        title: "Acme",
        deployments: [
          { slug: bot, name: "Bot" },
          { slug: quiet, name: "Quiet" },
        ],
      },
    },
  });
  expect(res.status).toBe(200);
  return { p, slug, bot, botId, ids };
}

const json = async (path: string) => (await call(path)).json();

describe("scheduled maintenance on the status page", () => {
  it("announces a window ahead of time as scheduled, the component still operational", async () => {
    const w = await pageWith([
      { from: NOW + DAY, to: NOW + DAY + 2 * HOUR, text: "Backups & restore\nthen checks" },
    ]);
    const html = await (await call(`/status/${w.slug}`)).text();
    expect(html).toContain("Scheduled maintenance");
    expect(html).toContain(`id="m-${w.ids[0]}" data-phase="scheduled"`);
    expect(html).not.toContain("Under maintenance");
    expect(html).toContain("Backups &amp; restore\nthen checks");
    const upcoming = StatusMaintenancesSchema.parse(
      await json(`/status/${w.slug}/scheduled-maintenances/upcoming.json`),
    );
    expect(upcoming.scheduled_maintenances.map((m) => [m.id, m.status, m.impact])).toEqual([
      [w.ids[0], "scheduled", "maintenance"],
    ]);
    expect(upcoming.scheduled_maintenances[0]?.scheduled_for).toBe(
      new Date(NOW + DAY).toISOString(),
    );
    const active = StatusMaintenancesSchema.parse(
      await json(`/status/${w.slug}/scheduled-maintenances/active.json`),
    );
    expect(active.scheduled_maintenances).toEqual([]);
    const summary = StatusSummarySchema.parse(await json(`/status/${w.slug}/summary.json`));
    expect(summary.scheduled_maintenances.map((m) => m.id)).toEqual(w.ids);
    expect(summary.components.map((c) => c.status)).toEqual(["operational", "operational"]);
  });

  it("refuses markup in the text, so the page never shows tags it would not render", async () => {
    const p = await createProject("mnt-page");
    const res = await call("/v1/maintenances", {
      method: "POST",
      key: p.admin,
      json: {
        title: "Upgrade",
        text: "Backups <b>now</b>",
        starts_at: NOW + HOUR,
        ends_at: NOW + 2 * HOUR,
        deployments: [{ slug: "bot" }],
      },
    });
    expect(res.status).toBe(400);
  });

  it("shows a running window as under maintenance on its component only (HTML and JSON)", async () => {
    const w = await pageWith([
      { from: NOW - HOUR, to: NOW + HOUR, text: "p95 < 2 s & falling\nthen done" },
    ]);
    const html = await (await call(`/status/${w.slug}`)).text();
    expect(html).toContain(`data-phase="in_progress"`);
    expect(html).toContain('<span class="state mnt">Under maintenance</span>');
    expect(html.match(/Under maintenance/g)).toHaveLength(1);
    // Escaped, line break kept as text (CSS pre-line).
    expect(html).toContain("p95 &lt; 2 s &amp; falling\nthen done");
    const summary = StatusSummarySchema.parse(await json(`/status/${w.slug}/summary.json`));
    expect(summary.components.map((c) => c.status)).toEqual(["under_maintenance", "operational"]);
    expect(summary.scheduled_maintenances[0]?.status).toBe("in_progress");
    const active = StatusMaintenancesSchema.parse(
      await json(`/status/${w.slug}/scheduled-maintenances/active.json`),
    );
    expect(active.scheduled_maintenances.map((m) => m.id)).toEqual(w.ids);
    expect(active.scheduled_maintenances[0]?.components.map((c) => c.status)).toEqual([
      "under_maintenance",
    ]);
  });

  it("marks an incident that opened during a window and does not count its day against the component", async () => {
    const w = await pageWith([{ from: NOW + DAY, to: NOW + DAY + HOUR }]);
    // A past window (inserted directly: the API refuses windows already over).
    await env.DB.prepare(
      `INSERT INTO maintenances (id, project_id, title, body, starts_at, ends_at, deployments, created_at, updated_at)
       VALUES (?1, ?2, 'Old upgrade', 'Done', ?3, ?4, ?5, ?3, ?3)`,
    )
      .bind(
        uniqueSlug("mnt"),
        w.p.id,
        NOW - 3 * DAY - HOUR,
        NOW - 3 * DAY + HOUR,
        JSON.stringify([{ environment: "production", slug: w.bot }]),
      )
      .run();
    const during = uniqueSlug("inc");
    await seedIncident({
      id: during,
      projectId: w.p.id,
      deploymentId: w.botId,
      severity: "critical",
      metric: "error_rate",
      status: "resolved",
      firingAt: NOW - 3 * DAY,
      resolvedAt: NOW - 3 * DAY + 30 * 60_000,
    });
    const html = await (await call(`/status/${w.slug}`)).text();
    const line = html.slice(html.indexOf(`id="i-${during}"`));
    expect(line.slice(0, line.indexOf("</li>"))).toContain("during maintenance");
    // The day and its minutes stay clean on both components.
    expect(html.match(/100 % of minutes and 100 % of days without incident/g)).toHaveLength(2);
  });
});
