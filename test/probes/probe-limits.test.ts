// Issue 21 item 5: what one project's probes may cost the others. A project has at most
// MAX_PROBES_PER_PROJECT probes, a probe's new deployment counts against the deployment
// limit, and the cron tick takes due probes in turns across projects, so a project with
// 1,000 due probes never keeps another project's single probe waiting past its interval.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { app } from "../../src/app";
import { probeLimitOf } from "../../src/http/probe-limits";
import { definitionFromCreate } from "../../src/probes/definition";
import {
  claimDue,
  jitterOf,
  MAX_JITTER_MS,
  PROBES_PER_TICK,
  runDueProbes,
  startOrder,
} from "../../src/probes/execute";
import { CreateProbeSchema } from "../../src/probes/probe-schema";
import { BASE, createProject, uniqueSlug } from "../helpers";

const ai = inject("aiUrl");

const probeBody = (deployment: string, over: Record<string, unknown> = {}) => ({
  name: "capital",
  deployment,
  url: `${ai}/ai/right`,
  extractor: { type: "json", path: "choices.0.message.content" },
  assertions: [{ type: "icontains", value: "paris" }],
  interval_minutes: 1,
  timeout_ms: 8_000,
  ...over,
});

async function createWith(vars: Record<string, string>, key: string, body: unknown) {
  const req = new Request(`${BASE}/v1/probes`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return app.fetch(req, { ...env, ...vars }, createExecutionContext());
}

interface ErrorAnswer {
  error: { code: string; message: string; details: { limit: number; reason: string } };
}

describe("probe limits", () => {
  it("reads the probe limit from its var, falling back to 50 for anything but a whole number ≥ 1", () => {
    expect(probeLimitOf("7")).toBe(7);
    for (const raw of [undefined, "", "0", "-3", "2.5", "lots"]) expect(probeLimitOf(raw)).toBe(50);
  });

  it("answers 409 naming the limit for a probe past the project's probe limit, and 201 again after a delete", async () => {
    const p = await createProject("probe-limit");
    const slug = uniqueSlug("lim");
    const limit = { MAX_PROBES_PER_PROJECT: "2" };
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await createWith(limit, p.admin, probeBody(slug));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { probe: { id: string } }).probe.id);
    }
    const over = await createWith(limit, p.admin, probeBody(slug));
    expect(over.status).toBe(409);
    const body = (await over.json()) as ErrorAnswer;
    expect(body.error).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("limit of 2 probes"),
      details: { limit: 2, reason: "probe_limit" },
    });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM probes WHERE project_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(2);
    const del = new Request(`${BASE}/v1/probes/${ids[0]}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${p.admin}` },
    });
    expect((await app.fetch(del, env, createExecutionContext())).status).toBe(200);
    expect((await createWith(limit, p.admin, probeBody(slug))).status).toBe(201);
  });

  it("answers 409 when a probe's deployment would be one past the deployment limit, and 201 on an existing deployment", async () => {
    const p = await createProject("probe-deployment-limit");
    const first = uniqueSlug("dep");
    const limit = { MAX_DEPLOYMENTS_PER_PROJECT: "1" };
    expect((await createWith(limit, p.admin, probeBody(first))).status).toBe(201);
    const over = await createWith(limit, p.admin, probeBody(uniqueSlug("dep")));
    expect(over.status).toBe(409);
    expect(((await over.json()) as ErrorAnswer).error).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("limit of 1 deployments"),
      details: { limit: 1, reason: "deployment_limit" },
    });
    const deployments = await env.DB.prepare(
      "SELECT count(*) AS n FROM deployments WHERE project_id = ?",
    )
      .bind(p.id)
      .first<{ n: number }>();
    expect(deployments?.n).toBe(1);
    expect((await createWith(limit, p.admin, probeBody(first))).status).toBe(201);
  });
});

/** Inserts `n` probes of one project straight into D1, all due since `dueSince`. */
async function insertProbes(projectId: string, n: number, dueSince: number): Promise<void> {
  const slug = uniqueSlug("noisy");
  const { definition, secretHeaders } = definitionFromCreate(
    CreateProbeSchema.parse(probeBody(slug)),
  );
  const insert = env.DB.prepare(
    `INSERT INTO probes (id, project_id, deployment_id, definition, secret_headers, enabled,
       next_run_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?6)`,
  );
  const rows = Array.from({ length: n }, (_, i) =>
    insert.bind(
      `prb_${slug}_${String(i).padStart(4, "0")}`,
      projectId,
      `${projectId}:production:${slug}`,
      JSON.stringify(definition),
      JSON.stringify(secretHeaders),
      dueSince + (i % 10) * 1_000,
    ),
  );
  for (let i = 0; i < rows.length; i += 200) await env.DB.batch(rows.slice(i, i + 200));
}

describe("fair probe scheduling", () => {
  it("runs a project's single probe every minute while another project has 1,000 probes due", async () => {
    const minute0 = Math.floor(Date.now() / 60_000) * 60_000;
    const noisy = await createProject("probe-noisy");
    const quiet = await createProject("probe-quiet");
    // Only these two projects' probes are due in this test.
    await env.DB.prepare("UPDATE probes SET enabled = 0").run();
    // The noisy project's probes fell due ten minutes before the quiet one's.
    await insertProbes(noisy.id, 1_000, minute0 - 10 * 60_000);
    const created = await createWith({}, quiet.admin, probeBody(uniqueSlug("quiet")));
    expect(created.status).toBe(201);
    const single = ((await created.json()) as { probe: { id: string } }).probe.id;

    // A whole tick: the quiet probe runs in the first minute it is due.
    const first = await runDueProbes(env, minute0 + 60_000, { maxJitterMs: 0 });
    expect(first.failed).toEqual([]);
    expect(first.ran).toHaveLength(PROBES_PER_TICK);
    expect(first.ran.map((r) => r.probeId)).toContain(single);
    const runs = await env.DB.prepare("SELECT outcome FROM probe_runs WHERE probe_id = ?")
      .bind(single)
      .all<{ outcome: string }>();
    expect(runs.results).toEqual([{ outcome: "pass" }]);

    // The next minutes' claims (1-minute interval): the quiet probe is taken every minute,
    // while the noisy project's backlog fills the rest of each tick.
    for (let m = 2; m <= 6; m++) {
      const claimed = await claimDue(env.DB, minute0 + m * 60_000);
      expect(claimed).toHaveLength(PROBES_PER_TICK);
      expect(claimed.map((p) => p.id)).toContain(single);
      expect(claimed.filter((p) => p.projectId === noisy.id)).toHaveLength(PROBES_PER_TICK - 1);
    }
  });

  it("starts each project's first probe of a tick before any project's second, whatever their jitter offsets", () => {
    const noisy = Array.from({ length: 12 }, (_, i) => ({ id: `prb_a${i}`, projectId: "a" }));
    const latest = Math.max(...noisy.map((r) => jitterOf(r.id, MAX_JITTER_MS)));
    // A single probe of another project whose offset is later in the minute than all of them.
    let i = 0;
    while (jitterOf(`prb_b${i}`, MAX_JITTER_MS) <= latest) i++;
    const single = { id: `prb_b${i}`, projectId: "b" };
    const order = startOrder([...noisy, single], MAX_JITTER_MS).map((p) => p.row.id);
    expect(order.slice(0, 2)).toEqual(["prb_a0", single.id]);
    expect(order).toHaveLength(13);
    // Then the noisy project's others, in the order they were claimed (their turns).
    expect(order.slice(2)).toEqual(noisy.slice(1).map((r) => r.id));
    // Within a turn, the jitter orders: two projects' first probes start by offset.
    const firsts = startOrder([single, noisy[0] ?? single], MAX_JITTER_MS).map((p) => p.row.id);
    expect(firsts).toEqual(["prb_a0", single.id]);
  });

  it("takes due probes in turns across projects, each project's in the order they fell due", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000;
    const a = await createProject("probe-turns-a");
    const b = await createProject("probe-turns-b");
    await insertProbes(a.id, 3, minute - 120_000);
    // Only these two projects' probes are due in this test.
    await env.DB.prepare("UPDATE probes SET enabled = 0 WHERE project_id != ?1").bind(a.id).run();
    await env.DB.prepare(
      `INSERT INTO probes (id, project_id, deployment_id, definition, secret_headers, enabled,
         next_run_at, created_at, updated_at)
       SELECT 'prb_b' || substr(id, 4), ?1, deployment_id, definition, secret_headers, 1,
         next_run_at + 60000, created_at, updated_at FROM probes WHERE project_id = ?2`,
    )
      .bind(b.id, a.id)
      .run();
    const claimed = await claimDue(env.DB, minute, 4);
    expect(claimed.map((p) => [p.projectId, p.nextRunAt])).toEqual([
      [a.id, minute - 120_000],
      [b.id, minute - 60_000],
      [a.id, minute - 119_000],
      [b.id, minute - 59_000],
    ]);
  });
});
