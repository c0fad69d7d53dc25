// Release labels come from clients: one request naming 600 prompt versions must not make
// 600 D1 rows, nor a deployment page that grows with them.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_RELEASE_COMBOS } from "../../src/monitor/release-store";
import { call, createProject, storedEventCount, uniqueSlug, waitFor } from "../helpers";
import { dashboardCookie } from "./sign-in";

const releaseRows = async (deploymentId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM releases WHERE deployment_id = ?")
      .bind(deploymentId)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("release combinations per deployment", () => {
  it("keeps 600 prompt versions in one request to bounded rows and a small dashboard page", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const now = Date.now();
    const events = Array.from({ length: 600 }, (_, i) => ({
      deployment: slug,
      ts: now - 600_000 + i * 1_000,
      model: "gpt-4o-mini",
      prompt_version: `v${i}-${"x".repeat(100)}`,
      latency_ms: 100,
    }));
    const res = await call("/v1/events", { method: "POST", key: p.ingest, json: events });
    expect(res.status).toBe(202);
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 600,
      30_000,
    );
    const id = `${p.id}:production:${slug}`;
    const rows = await waitFor(
      () => releaseRows(id),
      (n) => n > 0,
    );
    expect(rows).toBeLessThanOrEqual(MAX_RELEASE_COMBOS + 1);
    // The events past the bound are counted in the "(other)" combination, none lost.
    const totals = await env.DB.prepare(
      "SELECT sum(event_count) AS n, max(prompt_version = '(other)') AS other FROM releases WHERE deployment_id = ?",
    )
      .bind(id)
      .first<{ n: number; other: number }>();
    expect(totals).toEqual({ n: 600, other: 1 });
    const releases = await call(`/v1/deployments/production/${slug}/releases`, { key: p.read });
    expect(((await releases.json()) as { releases: unknown[] }).releases).toHaveLength(50);
    const page = await call(`/dashboard/d/production/${slug}`, {
      headers: { cookie: await dashboardCookie(p.read) },
    });
    expect(page.status).toBe(200);
    const bytes = (await page.arrayBuffer()).byteLength;
    // 90 KB measured (366 KB with 51 markers of 100-character labels on every chart).
    expect(bytes).toBeLessThan(120_000);
  }, 60_000);
});
