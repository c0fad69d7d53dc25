// Issue 9, defect 3: a project has at most MAX_DEPLOYMENTS_PER_PROJECT deployments
// (default 100); events of new deployments past it are rejected naming the limit, and
// evaluating a deployment stores check results only for rules that had data.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateDeployment } from "../../../src/alerts/evaluation/evaluate-deployment";
import { app } from "../../../src/app";
import { capDeployments, deploymentLimitOf, keyShareOf } from "../../../src/ingest/deployment-cap";
import type { ValidEvent } from "../../../src/ingest/parse-batch";
import { minuteOf } from "../../../src/shared/time";
import {
  BASE,
  call,
  createProject,
  newIngestKey,
  storedEventCount,
  uniqueSlug,
  waitFor,
} from "../../helpers";

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

  it("allows 100 deployments by default, at most 20 created by any one key", async () => {
    const p = await createProject();
    const keys = await Promise.all(Array.from({ length: 6 }, () => newIngestKey(p.id)));
    const counts: number[] = [];
    for (const [k, key] of keys.entries()) {
      const events = Array.from({ length: 25 }, (_, i) => ({ deployment: `many-${k}-${i}` }));
      const res = await call("/v1/events", { method: "POST", key, json: events });
      counts.push(res.status === 202 ? ((await res.json()) as Answer).accepted : 0);
    }
    expect(counts).toEqual([20, 20, 20, 20, 20, 0]);
  });
});

describe("each key's share of new deployments", () => {
  it("admits new deployments up to the key's share, and the project's limit first", () => {
    const known = { keys: new Set(["production:a"]) };
    const events = [v(0, "a"), v(1, "b"), v(2, "c"), v(3, "b"), v(4, "d")];
    const out = capDeployments(events, known, 10, "production", { limit: 3, created: 1 });
    expect(out.admitted).toEqual(["production:b", "production:c"]);
    expect(out.valid.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(out.rejected.map((r) => [r.index, r.code])).toEqual([[4, "deployment_limit"]]);
    expect(out.rejected[0]?.message).toContain("share of 3 new deployments");
    const full = capDeployments([v(0, "e")], known, 1, "production", { limit: 3, created: 0 });
    expect(full.rejected[0]?.message).toContain("limit of 1 deployments");
  });

  it("reads the share from its var, 20 by default and never above the project's limit", () => {
    expect(keyShareOf(undefined, 100)).toBe(20);
    expect(keyShareOf("5", 100)).toBe(5);
    expect(keyShareOf("500", 100)).toBe(100);
    expect(keyShareOf("0", 10)).toBe(10);
  });

  it("keeps other keys' new deployments working whatever a hostile key sends", async () => {
    const p = await createProject();
    const hostile = await newIngestKey(p.id);
    // bot under env0 … env99: before, this filled the project's limit of 100.
    const flood = Array.from({ length: 100 }, (_, i) => ({
      deployment: "bot",
      environment: `env${i}`,
    }));
    const first = (await (
      await call("/v1/events", { method: "POST", key: hostile, json: flood })
    ).json()) as Answer;
    expect(first.accepted).toBe(20);
    expect(first.rejected[0]?.message).toContain("share of 20 new deployments");
    const again = await call("/v1/events", {
      method: "POST",
      key: hostile,
      json: [{ deployment: "bot", environment: "env100" }],
    });
    expect(again.status).toBe(400);
    // Another key (a server's, or the app's own) still creates its deployments.
    const legit = await call("/v1/events", {
      method: "POST",
      key: p.ingest,
      json: [{ deployment: "checkout" }, { deployment: "search", environment: "staging" }],
    });
    expect(((await legit.json()) as Answer).accepted).toBe(2);
    // The hostile key's existing deployments keep accepting its events.
    const known = await call("/v1/events", {
      method: "POST",
      key: hostile,
      json: [{ deployment: "bot", environment: "env3" }],
    });
    expect(known.status).toBe(202);
    const creators = await env.DB.prepare(
      "SELECT count(*) AS n FROM deployment_creators WHERE project_id = ? AND key_id = (SELECT id FROM api_keys WHERE project_id = ? AND prefix = ?)",
    )
      .bind(p.id, p.id, hostile.slice(0, 12))
      .first<{ n: number }>();
    expect(creators?.n).toBe(20);
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
