// POST /v1/releases: announcing a release before its traffic, the bad inputs a pipeline can
// send, two announcements at once, and a release that never serves.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runVerdicts } from "../../../src/alerts/verdicts/run-verdicts";
import { minuteOf } from "../../../src/shared/time";
import { createDeployment, type TestDeployment } from "../../deployment-fixture";
import { ADMIN, call, createProject, type TestProject } from "../../helpers";

let p: TestProject;
let d: TestDeployment;

beforeAll(async () => {
  p = await createProject("releases-api");
  d = await createDeployment(p.id);
}, 30_000); // several D1 writes: slow on a loaded machine

const announce = (body: Record<string, unknown>, key = p.admin) =>
  call("/v1/releases", {
    method: "POST",
    key,
    json: { environment: "production", deployment: d.slug, ...body },
  });

interface Verdict {
  id: string;
  state: string;
  reason: string | null;
  candidate: Record<string, string>;
  git_sha: string | null;
  planned_share: number | null;
}

describe("POST /v1/releases", () => {
  it("announces a release and answers its pending verdict, listed with the deployment's verdicts", async () => {
    const res = await announce({
      prompt_version: "v14",
      model: "gpt-4o-mini",
      git_sha: "0123abcd",
      planned_share: 0.2,
      margins: { error_rate: 0.005 },
    });
    expect(res.status).toBe(201);
    const { verdict } = (await res.json()) as { verdict: Verdict };
    expect(verdict).toMatchObject({
      state: "pending",
      candidate: { model: "gpt-4o-mini", provider: "", prompt_version: "v14", release: "" },
      git_sha: "0123abcd",
      planned_share: 0.2,
    });
    const list = await call(`/v1/deployments/production/${d.slug}/verdicts`, { key: p.read });
    const { verdicts } = (await list.json()) as { verdicts: Verdict[] };
    expect(verdicts.map((v) => v.id)).toContain(verdict.id);
  });

  it("answers 409 with the verdict's id when the same release is announced again while pending", async () => {
    const first = (await (await announce({ release: "r-409" })).json()) as { verdict: Verdict };
    const again = await announce({ release: "r-409" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(first.verdict.id);
  });

  it("ends a pending verdict superseded when another release is announced", async () => {
    const older = (await (await announce({ release: "r-old" })).json()) as { verdict: Verdict };
    const newer = await announce({ release: "r-new" });
    const body = (await newer.json()) as { superseded: string[] };
    expect(body.superseded).toContain(older.verdict.id);
    const res = await call(`/v1/deployments/production/${d.slug}/verdicts/${older.verdict.id}`, {
      key: p.read,
    });
    expect(await res.json()).toMatchObject({ state: "superseded", reason: "replaced by r-new" });
  });

  it("leaves exactly one pending verdict when two releases are announced at once", async () => {
    const q = await createDeployment(p.id);
    const both = await Promise.all(
      ["a", "b"].map((r) =>
        call("/v1/releases", {
          method: "POST",
          key: p.admin,
          json: { environment: "production", deployment: q.slug, release: r },
        }),
      ),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    const list = await call(`/v1/deployments/production/${q.slug}/verdicts`, { key: p.read });
    const { verdicts } = (await list.json()) as { verdicts: Verdict[] };
    expect(verdicts.map((v) => v.state).sort()).toEqual(["pending", "superseded"]);
  });

  it("ends inconclusive, not in error, when the announced release never serves in 24 hours", async () => {
    const q = await createDeployment(p.id);
    const now = Date.now();
    const res = await call("/v1/releases", {
      method: "POST",
      key: p.admin,
      json: { environment: "production", deployment: q.slug, prompt_version: "never" },
    });
    const { verdict } = (await res.json()) as { verdict: Verdict };
    const row = {
      id: q.id,
      projectId: p.id,
      environment: "production",
      slug: q.slug,
      firstSeen: now,
      lastSeen: now,
    };
    expect(await runVerdicts(env, row, minuteOf(now) + 3_600_000)).toEqual([]);
    const decided = await runVerdicts(env, row, minuteOf(now) + 25 * 3_600_000);
    expect(decided.map((v) => [v.id, v.state, v.reason])).toEqual([
      [verdict.id, "inconclusive", "the candidate never served"],
    ]);
  });

  it("answers 404 for an unknown deployment", async () => {
    const res = await announce({ deployment: "no-such-bot", release: "r1" });
    expect(res.status).toBe(404);
  });

  it("answers 400 for labels past 128 characters, no label, an unknown margin or share, a bad sha", async () => {
    expect((await announce({ release: "x".repeat(129) })).status).toBe(400);
    expect((await announce({ release: "x".repeat(128) })).status).toBe(201);
    expect((await announce({ git_sha: "0123abcd" })).status).toBe(400);
    expect((await announce({ release: "m", margins: { nonsense: 0.1 } })).status).toBe(400);
    expect((await announce({ release: "m", margins: { error_rate: 0 } })).status).toBe(400);
    expect((await announce({ release: "m", planned_share: 0 })).status).toBe(400);
    expect((await announce({ release: "m", planned_share: 1.5 })).status).toBe(400);
    expect((await announce({ release: "m", git_sha: "not-hex" })).status).toBe(400);
    expect((await announce({ release: "m", surprise: true })).status).toBe(400);
  });

  it("answers 401 without a key and 403 for a read key; the root token names the project", async () => {
    expect((await call("/v1/releases", { method: "POST", json: {} })).status).toBe(401);
    expect((await announce({ release: "r" }, p.read)).status).toBe(403);
    const root = await call(`/v1/releases?project=${p.id}`, {
      method: "POST",
      key: ADMIN,
      json: { environment: "production", deployment: d.slug, release: "root" },
    });
    expect(root.status).toBe(201);
  });
});
