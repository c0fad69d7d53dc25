// Migration of a database that already holds events (stored the old way: a row each in
// D1 `events`, counted once their claim row was gone): the tick moves them into their
// deployments' Durable Objects, counting only what was not counted yet, archiving each
// once, and empties the legacy tables, also when a pass dies half-way.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runTick } from "../../src/entrances/tick";
import { type FaultPoint, faultHooks } from "../../src/fault-points";
import type { NormalizedInteraction } from "../../src/ingest/normalized";
import { drainLegacyEvents } from "../../src/queue/legacy-drain";
import { archivedEvents, createProject, uniqueSlug } from "../helpers";
import { encodedMinutes } from "../seed-buckets";

afterEach(() => {
  for (const point of Object.keys(faultHooks) as FaultPoint[]) delete faultHooks[point];
});

function events(slug: string, from: number, n: number): NormalizedInteraction[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${slug}-${from + i}`,
    deployment: slug,
    environment: "production",
    ts: now - (from + i) * 1_000,
    status: (from + i) % 5 === 0 ? "error" : "ok",
    model: "gpt-4o",
  }));
}

/** Rows as the old consumer inserted them, under `claim` (0: no claim, counted). */
async function storeOldWay(projectId: string, list: NormalizedInteraction[], claim: number) {
  await env.DB.batch([
    ...(claim > 0
      ? [
          env.DB.prepare("INSERT INTO claims (token, created_at) VALUES (?, ?)").bind(
            claim,
            Date.now(),
          ),
        ]
      : []),
    ...list.map((e) =>
      env.DB.prepare(
        `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data, claim)
         VALUES (?, ?, ?, 'interaction', ?, ?, ?, ?)`,
      ).bind(
        projectId,
        e.id,
        `${projectId}:${e.environment}:${e.deployment}`,
        e.ts,
        e.ts + 50,
        JSON.stringify(e),
        claim,
      ),
    ),
  ]);
}

async function legacyRows() {
  const row = await env.DB.prepare(
    "SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM claims) AS claims",
  ).first<{ events: number; claims: number }>();
  return row;
}

describe("legacy events drain", () => {
  it("moves old rows into the objects: counted once, archived once, legacy tables emptied", async () => {
    const p = await createProject("legacy");
    const slug = uniqueSlug("legacy");
    const deploymentId = `${p.id}:production:${slug}`;
    const stub = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
    // 30 counted (claim closed): already in the windows and in D1's deployments/releases.
    const counted = events(slug, 0, 30);
    await storeOldWay(p.id, counted, 0);
    await stub.apply({ deploymentId, token: "old-counted", buckets: encodedMinutes(counted) });
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
      ).bind(deploymentId, p.id, slug, Date.now() - 100_000, Date.now()),
      env.DB.prepare(
        `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
         VALUES (?, 'gpt-4o', '', '', '', 0, 0, 30)`,
      ).bind(deploymentId),
    ]);
    // 20 under a claim that died before reaching the object: not counted.
    const token1 = Date.now() * 1000 + 1;
    await storeOldWay(p.id, events(slug, 30, 20), token1);
    // 10 under a claim the object applied before the batch died: counted, claim open.
    const token2 = Date.now() * 1000 + 2;
    const applied = events(slug, 50, 10);
    await storeOldWay(p.id, applied, token2);
    await stub.apply({ deploymentId, token: String(token2), buckets: encodedMinutes(applied) });

    // Small passes, and one that dies after the objects, before its D1 deletes.
    let failures = 0;
    faultHooks["legacy.delete"] = () => {
      if (failures++ === 1) throw new Error("injected fault at legacy.delete");
    };
    await expect(drainLegacyEvents(env, { batch: 7 })).rejects.toThrow(/legacy.delete/);
    const report = await drainLegacyEvents(env, { batch: 7 });
    expect(report.done).toBe(true);
    expect(await legacyRows()).toEqual({ events: 0, claims: 0 });

    const window = await stub.snapshot({ from: Date.now() - 3_600_000, to: Date.now() + 1 });
    expect(window.summary.count).toBe(60);
    expect(window.summary.status.error).toBe(12);
    const archived = await archivedEvents(p.id);
    expect(archived).toHaveLength(60);
    expect(new Set(archived.map((e) => e.id)).size).toBe(60);
    const marker = await env.DB.prepare(
      "SELECT event_count FROM releases WHERE deployment_id = ? AND model = 'gpt-4o'",
    )
      .bind(deploymentId)
      .first<{ event_count: number }>();
    expect(marker?.event_count).toBe(60);

    // A copy the client sends again later is recognised; the tick's drain finds nothing.
    await runTick(env, Date.now());
    const again = await stub.ingest({
      monitor: { deploymentId, projectId: p.id, environment: "production", slug, synthetic: false },
      events: counted.slice(0, 3).map((e) => ({ ...e, received_at: Date.now() })),
    });
    expect(again).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(
      (await stub.snapshot({ from: Date.now() - 3_600_000, to: Date.now() + 1 })).summary.count,
    ).toBe(60);
  });
});
