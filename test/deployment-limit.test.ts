// Issue 9, defect 3: a project has at most MAX_DEPLOYMENTS_PER_PROJECT deployments
// (default 100); events of new deployments past it are rejected naming the limit, and
// evaluating a deployment stores check results only for rules that had data.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../src/alerts/evaluation/evaluate-deployment";
import { app } from "../src/api/app";
import { capDeployments, deploymentLimitOf } from "../src/ingest/deployment-cap";
import type { ValidEvent } from "../src/ingest/parse-batch";
import { minuteOf } from "../src/shared/time";
import { BASE, call, createProject, storedEventCount, uniqueSlug, waitFor } from "./helpers";

interface Answer {
  accepted: number;
  rejected: { index: number; code: string; path: string; message: string }[];
}

const v = (index: number, deployment: string, environment?: string): ValidEvent => ({
  index,
  ts: 0,
  event: { deployment, ...(environment ? { environment } : {}) },
});

describe("capDeployments", () => {
  it("admits new deployments in order up to the limit and always passes known ones", () => {
    const known = { keys: new Set(["production:a", "staging:b"]) };
    const events = [v(0, "a"), v(1, "c"), v(2, "d"), v(3, "c"), v(4, "b", "staging"), v(5, "b")];
    const out = capDeployments(events, known, 3, "production");
    expect(out.admitted).toEqual(["production:c"]);
    expect(out.valid.map((e) => e.index)).toEqual([0, 1, 3, 4]);
    expect(out.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
      [2, "deployment_limit", "deployment"],
      [5, "deployment_limit", "deployment"],
    ]);
    expect(out.rejected[0]?.message).toContain("limit of 3 deployments");
  });

  it("reads the limit from its var, falling back to 100 for anything but a whole number ≥ 1", () => {
    expect(deploymentLimitOf("7")).toBe(7);
    for (const raw of [undefined, "", "0", "-3", "2.5", "lots"])
      expect(deploymentLimitOf(raw)).toBe(100);
  });
});

async function postWithLimit(limit: string, key: string, body: unknown) {
  const req = new Request(`${BASE}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return app.fetch(req, { ...env, MAX_DEPLOYMENTS_PER_PROJECT: limit }, createExecutionContext());
}

describe("deployments per project", () => {
  it("rejects the events of new deployments past the limit, naming it, and keeps the rest", async () => {
    const p = await createProject();
    const slugs = Array.from({ length: 5 }, () => uniqueSlug("dep"));
    const res = await postWithLimit(
      "3",
      p.ingest,
      slugs.map((deployment) => ({ deployment })),
    );
    expect(res.status).toBe(202);
    const body = (await res.json()) as Answer;
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.code, r.path])).toEqual([
      [3, "deployment_limit", "deployment"],
      [4, "deployment_limit", "deployment"],
    ]);
    expect(body.rejected[0]?.message).toContain("limit of 3 deployments");
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 3,
    );
    // Known deployments keep working; a new one is refused with 400 when nothing else is valid.
    const known = await postWithLimit("3", p.ingest, [{ deployment: slugs[0] }]);
    expect(known.status).toBe(202);
    const refused = await postWithLimit("3", p.ingest, [{ deployment: slugs[4] }]);
    expect(refused.status).toBe(400);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM deployments WHERE project_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(3);
  });

  it("allows 100 deployments by default", async () => {
    const p = await createProject();
    const events = Array.from({ length: 101 }, (_, i) => ({ deployment: `many-${i}` }));
    const res = await call("/v1/events", { method: "POST", key: p.ingest, json: events });
    const body = (await res.json()) as Answer;
    expect(body.accepted).toBe(100);
    expect(body.rejected.map((r) => r.index)).toEqual([100]);
  });
});

describe("check results", () => {
  it("are stored only for rules that had data", async () => {
    const p = await createProject();
    const slug = uniqueSlug("checks");
    const minute = minuteOf(Date.now());
    const deployment = {
      id: `${p.id}:production:${slug}`,
      projectId: p.id,
      environment: "production",
      slug,
      firstSeen: minute - 60_000,
      lastSeen: minute - 60_000,
    };
    await env.DB.prepare(
      "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
    )
      .bind(deployment.id, p.id, "production", slug, deployment.firstSeen, deployment.lastSeen)
      .run();
    const summary = await evaluateDeployment(env, deployment, minute);
    expect(summary.checks).toBeGreaterThan(0);
    const rows = await env.DB.prepare("SELECT outcome FROM check_results WHERE deployment_id = ?")
      .bind(deployment.id)
      .all<{ outcome: string }>();
    expect(rows.results.filter((r) => r.outcome === "no_data")).toEqual([]);
  });
});
