// A probe shown on the public status page as its own component: daily bars from its runs
// and the share of runs correct; another project's probe reads as no runs; a probe listed
// twice is refused.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createProject, uniqueSlug } from "../helpers";
import { seedDeployment, seedHours } from "./seed";

const NOW = Date.now();
const HOUR = 3_600_000;

async function seedRuns(projectId: string, probeId: string, outcomes: string[]) {
  const stmt = env.DB.prepare(
    `INSERT INTO probe_runs (id, probe_id, project_id, started_at, outcome, assertions)
     VALUES (?1, ?2, ?3, ?4, ?5, '[]')`,
  );
  await env.DB.batch(
    outcomes.map((o, k) => stmt.bind(uniqueSlug("run"), probeId, projectId, NOW - k * HOUR, o)),
  );
}

async function pageShowing(probes: { id: string; name: string }[]) {
  const p = await createProject("probe-page");
  const slug = uniqueSlug("acme");
  const bot = uniqueSlug("bot");
  await seedHours(await seedDeployment(p.id, bot, NOW), NOW, 24);
  const res = await call(`/v1/projects/${p.id}`, {
    method: "PATCH",
    key: p.admin,
    json: {
      status_page: { slug, title: "Acme", deployments: [{ slug: bot, name: "Bot" }], probes },
    },
  });
  return { p, slug, res };
}

describe("probe components on the status page", () => {
  it("shows a listed probe with its share of runs correct and a bar naming the wrong runs", async () => {
    const probeId = uniqueSlug("prb");
    const { p, slug, res } = await pageShowing([
      { id: probeId, name: "Answers to known questions" },
    ]);
    expect(res.status).toBe(200);
    // 40 runs over the last 40 hours, 3 of them wrong (fail, degraded, error).
    const outcomes = Array.from({ length: 40 }, (_, k) =>
      k === 1 ? "fail" : k === 2 ? "degraded" : k === 3 ? "error" : "pass",
    );
    await seedRuns(p.id, probeId, outcomes);
    const html = await (await call(`/status/${slug}`)).text();
    expect(html).toContain("<h3>Answers to known questions</h3>");
    expect(html).toContain("92.5 % of 40 runs correct");
    expect(html).toMatch(/title="[^"]+: \d+ of \d+ runs wrong"/);
  });

  it("reads another project's probe as no runs, whatever its id", async () => {
    const other = await createProject("probe-page-other");
    const probeId = uniqueSlug("prb");
    await seedRuns(other.id, probeId, ["pass", "pass"]);
    const { slug, res } = await pageShowing([{ id: probeId, name: "Borrowed probe" }]);
    expect(res.status).toBe(200);
    const html = await (await call(`/status/${slug}`)).text();
    expect(html).toContain("<h3>Borrowed probe</h3>");
    expect(html).toContain("No runs yet");
    expect(html).not.toContain("runs correct");
  });

  it("refuses page settings that list a probe twice", async () => {
    const { res } = await pageShowing([
      { id: "prb_same", name: "One" },
      { id: "prb_same", name: "Two" },
    ]);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("listed twice");
  });
});
