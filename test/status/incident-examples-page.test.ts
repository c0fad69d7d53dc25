// The dashboard's incident page lists the incident's example events (keep_examples on), each
// with a download of exactly that event behind the session, and nothing when examples are off.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import { IncidentExamplesSection } from "../../src/status/dashboard/incident-examples";
import { monitorOf } from "../deployment-fixture";
import { call, createProject, type TestProject, uniqueSlug } from "../helpers";
import { get } from "./dashboard-form";
import { seedDeployment, seedIncident } from "./seed";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();

async function world(keep: boolean) {
  const p: TestProject = await createProject("dash-examples");
  if (keep) {
    await call(`/v1/projects/${p.id}`, {
      method: "PATCH",
      key: p.admin,
      json: { keep_examples: true },
    });
  }
  const slug = uniqueSlug("bot");
  const deploymentId = await seedDeployment(p.id, slug, NOW);
  const monitor = monitorOf(p.id, { id: deploymentId, environment: "production", slug });
  const events = Array.from(
    { length: 3 },
    (_, i): ArchivedEvent => ({
      type: "interaction",
      id: `${slug}-err-${i}`,
      deployment: slug,
      environment: "production",
      ts: NOW - 10 * 60_000 + i,
      status: "error",
      model: "gpt-4o-mini",
      tags: { locale: "ja" },
      received_at: NOW,
    }),
  );
  await env.DEPLOYMENT_MONITOR.getByName(deploymentId).ingest({
    monitor,
    events,
    examples: keep,
  });
  const incident = uniqueSlug("inc");
  await seedIncident({
    id: incident,
    projectId: p.id,
    deploymentId,
    severity: "critical",
    metric: "error_rate",
    status: "firing",
    firingAt: NOW - 5 * 60_000,
  });
  const cookie = await dashboardCookie(p.read);
  return { incident, cookie, ids: events.map((e) => e.id) };
}

const ndjsonIds = async (res: Response) =>
  new TextDecoder()
    .decode(await res.arrayBuffer())
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe("examples on the dashboard's incident page", () => {
  it("lists the examples with their fields and downloads exactly the listed events", async () => {
    const w = await world(true);
    const page = await get(`/dashboard/incidents/${w.incident}`, w.cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="examples"');
    for (const id of w.ids) expect(html).toContain(id);
    expect(html).toContain("model=gpt-4o-mini · locale=ja");
    const all = await get(`/dashboard/incidents/${w.incident}/examples.ndjson`, w.cookie);
    expect(all.status).toBe(200);
    expect((await ndjsonIds(all)).sort()).toEqual([...w.ids].sort());
    const one = await get(
      `/dashboard/incidents/${w.incident}/examples.ndjson?event=${w.ids[1]}`,
      w.cookie,
    );
    expect(await ndjsonIds(one)).toEqual([w.ids[1]]);
    // Only events the incident lists: another id is refused.
    const other = await get(
      `/dashboard/incidents/${w.incident}/examples.ndjson?event=someone-else`,
      w.cookie,
    );
    expect(other.status).toBe(404);
    // Without a session: to the sign-in page.
    const anonymous = await call(`/dashboard/incidents/${w.incident}/examples.ndjson`, {
      redirect: "manual",
    });
    expect(anonymous.status).toBe(303);
  });

  it("shows no examples section while the project keeps none", async () => {
    const w = await world(false);
    const html = await (await get(`/dashboard/incidents/${w.incident}`, w.cookie)).text();
    expect(html).not.toContain('id="examples"');
    const all = await get(`/dashboard/incidents/${w.incident}/examples.ndjson`, w.cookie);
    expect(all.status).toBe(404);
  });

  it("escapes tag values and says when no example is kept for the window", () => {
    const out = String(
      IncidentExamplesSection({
        incidentId: "inc_1",
        x: {
          outcome: "feedback_down",
          segment: { dimension: "tags.locale", value: "ja", name: "locale=ja" },
          events: [
            {
              id: "e1",
              ts: NOW,
              status: "ok",
              tags: { note: "<script>x</script>" },
              export_url: "/v1/events/export?ids=e1",
            },
          ],
          expired: 2,
          export_url: "/v1/events/export?ids=e1",
        },
      }),
    );
    expect(out).toContain("note=&lt;script&gt;x&lt;/script&gt;");
    expect(out).toContain("1 of the thumbs-down from locale=ja");
    expect(out).toContain("2 more left out");
    const none = String(
      IncidentExamplesSection({
        incidentId: "inc_1",
        x: { outcome: "error", segment: null, events: [], expired: 0, export_url: null },
      }),
    );
    expect(none).toContain("No example errors kept for this incident");
  });
});
