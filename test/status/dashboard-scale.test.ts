// Queries over a project's deployment list work at the deployment cap and at ten times it:
// the overview bound one SQL variable per id and failed from 98 deployments on.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_DEPLOYMENTS } from "../../src/ingest/deployment-cap";
import { hourRows, recentIncidents } from "../../src/status/dashboard/data";
import { call, createProject } from "../helpers";
import { dashboardCookie } from "./sign-in";

const NOW = Date.now();
const HOUR = 3_600_000;

/** `count` deployments of a new project, each with one hour of traffic, straight into D1. */
async function projectWith(count: number) {
  const p = await createProject("scale");
  const ids = Array.from({ length: count }, (_, i) => `${p.id}:production:dep-${i}`);
  const dep = env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?1, ?2, 'production', ?3, ?4, ?4)",
  );
  const hour = env.DB.prepare(
    `INSERT INTO rollups (deployment_id, resolution, bucket_start, count, error_count, feedback_up,
       feedback_down, latency_p50, latency_p95, cost_usd, summary, updated_at)
     VALUES (?1, '1h', ?2, 10, 0, 0, 0, 100, 200, 0, '{}', ?2)`,
  );
  const top = Math.floor(NOW / HOUR) * HOUR - HOUR;
  for (let i = 0; i < count; i += 200) {
    const some = ids.slice(i, i + 200);
    await env.DB.batch([
      ...some.map((id, k) => dep.bind(id, p.id, `dep-${i + k}`, NOW)),
      ...some.map((id) => hour.bind(id, top)),
    ]);
  }
  return { p, ids };
}

describe("deployment lists at ten times the cap", () => {
  for (const count of [DEFAULT_MAX_DEPLOYMENTS, 10 * DEFAULT_MAX_DEPLOYMENTS]) {
    it(`reads the hours and incidents of ${count} deployments in one query each`, async () => {
      const { p, ids } = await projectWith(count);
      const hours = await hourRows(env.DB, ids, NOW - 2 * HOUR);
      expect(hours.size).toBe(count);
      expect(await recentIncidents(env.DB, p.id, ids, NOW - HOUR)).toEqual([]);
    });
  }

  it("shows the dashboard overview of a project with 1,000 deployments", async () => {
    const { p } = await projectWith(10 * DEFAULT_MAX_DEPLOYMENTS);
    const res = await call("/dashboard", { headers: { cookie: await dashboardCookie(p.read) } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("dep-999");
  }, 60_000);
});
