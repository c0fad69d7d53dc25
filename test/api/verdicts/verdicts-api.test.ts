// GET /v1/deployments/:env/:slug/verdicts and …/verdicts/:id (with ?wait=): what each
// answers, the long-poll, and one case per status.
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll, describe, expect, it } from "vitest";
import { releaseVerdictsTable } from "../../../src/db/schema";
import { createDeployment, type TestDeployment } from "../../deployment-fixture";
import { BASE, call, createProject, type TestProject } from "../../helpers";

const combo = (prompt: string) => ({
  model: "m",
  provider: "p",
  prompt_version: prompt,
  release: "",
});

async function insertVerdict(
  d: TestDeployment,
  id: string,
  startedAt: number,
  state: "pending" | "fail",
) {
  await drizzle(env.DB)
    .insert(releaseVerdictsTable)
    .values({
      id,
      deploymentId: d.id,
      candidateKey: id,
      candidate: combo(id),
      incumbent: combo("v13"),
      state,
      startedAt,
      decidedAt: state === "pending" ? null : startedAt + 60_000,
      updatedAt: startedAt,
      signals: [
        {
          metric: "error_rate",
          incumbent: 0.01,
          candidate: 0.05,
          difference: 0.04,
          ci: [0.01, 0.07],
          margin: 0.01,
          decision: "worse",
          nIncumbent: 4000,
          nCandidate: 1000,
        },
      ],
      share: 0.2,
    });
}

let p: TestProject;
let d: TestDeployment;
const path = (rest = "") => `/v1/deployments/production/${d.slug}/verdicts${rest}`;

beforeAll(async () => {
  p = await createProject("verdicts-api");
  d = await createDeployment(p.id);
  await insertVerdict(d, "ver_a", 1_000, "fail");
  await insertVerdict(d, "ver_b", 2_000, "fail");
  await insertVerdict(d, "ver_c", 3_000, "pending");
}, 30_000); // several D1 writes: slow on a loaded machine

describe("GET …/verdicts", () => {
  it("lists the verdicts newest first, a page at a time", async () => {
    const first = await call(path("?limit=2"), { key: p.read });
    expect(first.status).toBe(200);
    const one = (await first.json()) as { verdicts: { id: string }[]; next_cursor: string };
    expect(one.verdicts.map((v) => v.id)).toEqual(["ver_c", "ver_b"]);
    const second = await call(path(`?limit=2&cursor=${one.next_cursor}`), { key: p.read });
    const two = (await second.json()) as { verdicts: { id: string }[]; next_cursor: null };
    expect(two.verdicts.map((v) => v.id)).toEqual(["ver_a"]);
    expect(two.next_cursor).toBeNull();
  });

  it("answers 400 for a bad cursor, 401 without a key, 403 for an ingest key, 404 for an unknown deployment", async () => {
    expect((await call(path("?cursor=nope"), { key: p.read })).status).toBe(400);
    expect((await call(path())).status).toBe(401);
    expect((await call(path(), { key: p.ingest })).status).toBe(403);
    const unknown = await call("/v1/deployments/production/nobody/verdicts", { key: p.read });
    expect(unknown.status).toBe(404);
  });
});

describe("GET …/verdicts/:id", () => {
  it("answers the verdict with each signal's arms, difference and interval", async () => {
    const res = await call(path("/ver_a"), { key: p.read });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: "ver_a",
      state: "fail",
      candidate: combo("ver_a"),
      incumbent: combo("v13"),
      started_at: 1_000,
      decided_at: 61_000,
      signals: [
        {
          metric: "error_rate",
          incumbent: 0.01,
          candidate: 0.05,
          difference: 0.04,
          ci: [0.01, 0.07],
          decision: "worse",
          n_incumbent: 4000,
          n_candidate: 1000,
        },
      ],
    });
  });

  it("holds a pending verdict until it is decided when asked to wait", async () => {
    const started = Date.now();
    const answer = call(path("/ver_c?wait=10"), { key: p.read });
    await new Promise((r) => setTimeout(r, 1_500));
    await drizzle(env.DB)
      .update(releaseVerdictsTable)
      .set({ state: "fail", decidedAt: Date.now() })
      .where(eq(releaseVerdictsTable.id, "ver_c"));
    const res = await answer;
    expect(((await res.json()) as { state: string }).state).toBe("fail");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("answers a still pending verdict after the wait", async () => {
    await insertVerdict(d, "ver_d", 4_000, "pending");
    const started = Date.now();
    const res = await call(path("/ver_d?wait=1"), { key: p.read });
    expect(((await res.json()) as { state: string }).state).toBe("pending");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it("answers 404 for an unknown id or another deployment's, 400 for a wait over 60 s", async () => {
    expect((await call(path("/ver_zzz"), { key: p.read })).status).toBe(404);
    const other = await createDeployment(p.id);
    const res = await call(`/v1/deployments/production/${other.slug}/verdicts/ver_a`, {
      key: p.read,
    });
    expect(res.status).toBe(404);
    expect((await call(path("/ver_a?wait=61"), { key: p.read })).status).toBe(400);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await (
      await exports.default.fetch(new Request(`${BASE}/openapi.json`))
    ).json()) as {
      paths: Record<string, unknown>;
    };
    expect(doc.paths).toHaveProperty(["/v1/deployments/{env}/{slug}/verdicts"]);
    expect(doc.paths).toHaveProperty(["/v1/deployments/{env}/{slug}/verdicts/{id}"]);
  });
});
