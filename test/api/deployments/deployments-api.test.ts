// GET /v1/deployments, …/:env/:slug/window and …/releases through the typed client: what each
// answers, and one case per status a read route can give.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../../src/ingest/normalized";
import { addEvent, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import { client, expectStatus, issuePath } from "../../client";
import { createDeployment, type TestDeployment } from "../../deployment-fixture";
import { ADMIN, call, createProject, type TestProject } from "../../helpers";

const MINUTE = 60_000;

const deploymentOf = (key: string) => client(key).v1.deployments[":env"][":slug"];
const param = (d: TestDeployment) => ({ env: d.environment, slug: d.slug });

let p: TestProject;
let dep: TestDeployment;
beforeAll(async () => {
  p = await createProject();
  dep = await createDeployment(p.id, { seen: Date.now() - 10 * MINUTE });
});

describe("GET /v1/deployments", () => {
  it("lists the project's deployments, most recently seen first", async () => {
    const q = await createProject();
    const older = await createDeployment(q.id, { seen: 1_000 });
    const newer = await createDeployment(q.id, { seen: 2_000, environment: "staging" });
    const body = await expectStatus(await client(q.read).v1.deployments.$get({ query: {} }), 200);
    expect(body.deployments).toEqual([
      { environment: "staging", slug: newer.slug, first_seen: 2_000, last_seen: 2_000 },
      { environment: "production", slug: older.slug, first_seen: 1_000, last_seen: 1_000 },
    ]);
    const root = client(ADMIN).v1.deployments.$get({ query: { project: q.id } });
    expect((await expectStatus(await root, 200)).deployments).toHaveLength(2);
  });

  it("answers 401 without a key, 403 for an ingest key, 400 for the root token without ?project=", async () => {
    expect((await client().v1.deployments.$get({ query: {} })).status).toBe(401);
    expect((await client(p.ingest).v1.deployments.$get({ query: {} })).status).toBe(403);
    expect((await client(ADMIN).v1.deployments.$get({ query: {} })).status).toBe(400);
  });
});

describe("GET /v1/deployments/:env/:slug/window", () => {
  it("summarises the deployment's buckets over the range", async () => {
    const bucket = emptyBucket();
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;
    for (let i = 0; i < 4; i++) {
      const event: NormalizedInteraction = {
        type: "interaction",
        id: `w${i}`,
        deployment: dep.slug,
        environment: "production",
        ts: start + i,
        status: i === 0 ? "error" : "ok",
        model: "gpt-4o-mini",
        latency_ms: 100 * (i + 1),
      };
      addEvent(bucket, event);
    }
    await env.DEPLOYMENT_MONITOR.getByName(dep.id).apply({
      deploymentId: dep.id,
      token: `window-${dep.id}`,
      buckets: [{ start, data: encodeBucket(bucket) }],
    });
    const res = await deploymentOf(p.read).window.$get({
      param: param(dep),
      query: { range: "15m" },
    });
    const body = await expectStatus(res, 200);
    expect(body.range).toBe("15m");
    expect(body.deployment).toMatchObject({ environment: "production", slug: dep.slug });
    expect(body.window).toMatchObject({ deployment_id: dep.id, resolution: "1m", buckets: 1 });
    expect(body.window.summary.count).toBe(4);
    expect(body.window.summary.status.error).toBe(1);
    expect(body.window.summary.rates.error).toBe(0.25);
    expect(body.window.summary.categories.model).toEqual({ "gpt-4o-mini": 4 });
    expect(body.window.summary.distributions.latency_ms.max).toBe(400);
  });

  it("defaults to the last hour and answers an empty window for a quiet deployment", async () => {
    const quiet = await createDeployment(p.id);
    const res = await deploymentOf(p.admin).window.$get({ param: param(quiet), query: {} });
    const body = await expectStatus(res, 200);
    expect(body.range).toBe("1h");
    expect(body.window.buckets).toBe(0);
    expect(body.window.summary.count).toBe(0);
    expect(body.window.summary.rates.error).toBeNull();
  });

  it("answers 400 naming the field for a bad range, path or unknown query field", async () => {
    const base = `/v1/deployments/production/${dep.slug}/window`;
    const bad = await call(`${base}?range=2d`, { key: p.read });
    expect(issuePath(await expectStatus(bad, 400))).toBe("range");
    const unknown = await call(`${base}?colour=red`, { key: p.read });
    expect(issuePath(await expectStatus(unknown, 400))).toBe("colour");
    const path = await call("/v1/deployments/Prod!/x/window", { key: p.read });
    expect(issuePath(await expectStatus(path, 400))).toBe("env");
  });

  it("answers 401, 403 and 404 (unknown here, or another project's)", async () => {
    const q = { param: param(dep), query: {} };
    expect((await client().v1.deployments[":env"][":slug"].window.$get(q)).status).toBe(401);
    expect((await deploymentOf(p.ingest).window.$get(q)).status).toBe(403);
    const nobody = { param: { env: "production", slug: "nobody" }, query: {} };
    expect((await deploymentOf(p.read).window.$get(nobody)).status).toBe(404);
    const other = await createProject();
    expect((await deploymentOf(other.read).window.$get(q)).status).toBe(404);
  });
});

describe("GET /v1/deployments/:env/:slug/releases", () => {
  it("lists the release markers oldest first, with unnamed fields as null", async () => {
    const d = await createDeployment(p.id);
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count) VALUES (?, 'gpt-4o', 'openai', 'v2', '', 200, 300, 5)",
      ).bind(d.id),
      env.DB.prepare(
        "INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count) VALUES (?, 'gpt-4o-mini', '', '', '1.0', 100, 150, 2)",
      ).bind(d.id),
    ]);
    const res = await deploymentOf(p.read).releases.$get({ param: param(d), query: {} });
    expect((await expectStatus(res, 200)).releases).toEqual([
      {
        model: "gpt-4o-mini",
        provider: null,
        prompt_version: null,
        release: "1.0",
        first_seen: 100,
        last_seen: 150,
        event_count: 2,
      },
      {
        model: "gpt-4o",
        provider: "openai",
        prompt_version: "v2",
        release: null,
        first_seen: 200,
        last_seen: 300,
        event_count: 5,
      },
    ]);
  });

  it("pages the releases with limit and next_cursor, each once, 400 for a foreign cursor", async () => {
    const d = await createDeployment(p.id);
    const insert = env.DB.prepare(
      "INSERT INTO releases (deployment_id, prompt_version, first_seen, last_seen, event_count) VALUES (?, ?, ?, ?, 1)",
    );
    // Two share a first_seen: the cursor breaks the tie by row.
    await env.DB.batch([10, 20, 20, 30, 40].map((t, i) => insert.bind(d.id, `v${i}`, t, t)));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const query = { limit: "2", ...(cursor ? { cursor } : {}) };
      const res = await deploymentOf(p.read).releases.$get({ param: param(d), query });
      const body = await expectStatus(res, 200);
      expect(body.releases.length).toBeLessThanOrEqual(2);
      seen.push(...body.releases.map((r) => r.prompt_version ?? ""));
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    expect(seen).toEqual(["v0", "v1", "v2", "v3", "v4"]);
    const bad = { param: param(d), query: { cursor: "a1.xyz" } };
    expect((await deploymentOf(p.read).releases.$get(bad)).status).toBe(400);
  });

  it("answers 401, 403 and 404", async () => {
    const q = { param: param(dep), query: {} };
    expect((await client().v1.deployments[":env"][":slug"].releases.$get(q)).status).toBe(401);
    expect((await deploymentOf(p.ingest).releases.$get(q)).status).toBe(403);
    const nobody = { param: { env: "production", slug: "nobody" }, query: {} };
    expect((await deploymentOf(p.read).releases.$get(nobody)).status).toBe(404);
  });
});
