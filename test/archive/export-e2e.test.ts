// End to end through the real bindings: events posted to /v1/events go through the queue
// and the consumer into the deployment's Durable Object, wait in its archive outbox, and
// come back from GET /v1/events/export (which has the object write them to R2 first):
// each accepted event exactly once, in write order, as normalised (user hashed).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type ArchivedEvent, deploymentPrefix } from "../../src/archive/layout";
import { syntheticMonitorOf } from "../../src/monitor/monitor-id";
import { hourOf } from "../../src/shared/time";
import { call, createProject, storedEventCount, uniqueSlug, waitFor } from "../helpers";
import { keysUnder, textOf } from "./fixture";

const post = (key: string, json: unknown) => call("/v1/events", { method: "POST", key, json });

async function exported(key: string, query: string): Promise<ArchivedEvent[]> {
  const res = await call(`/v1/events/export?${query}`, { key });
  expect(res.status).toBe(200);
  return (await textOf(res))
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ArchivedEvent);
}

describe("ingest → consumer → archive → export", () => {
  it("exports every accepted event once, in write order, as stored", async () => {
    const p = await createProject("e2e");
    const slug = uniqueSlug("e2e");
    const from = Date.now() - 60_000;
    const first = Array.from({ length: 30 }, (_, i) => ({
      id: `e2e-${i}`,
      deployment: slug,
      ts: from + i * 1000,
      latency_ms: 100 + i,
      user: "alice@example.com",
    }));
    const second = [
      ...first.slice(0, 5), // copies: neither counted nor archived again
      { id: "e2e-late", deployment: slug, ts: from - 30 * 60_000, status: "timeout" },
      { type: "feedback", ref: "e2e-3", deployment: slug, feedback: -1 },
    ];
    const answers = [];
    for (const [body, stored] of [
      [{ events: first }, 30],
      [{ events: second }, 32],
    ] as const) {
      const res = await post(p.ingest, body);
      expect(res.status).toBe(202);
      answers.push((await res.json()) as { ids: string[] });
      // The 30 go by the queue, the 7 straight to the object (src/queue/deliver.ts): the
      // second request waits for the first to be stored, so write order is request order.
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= stored,
      );
    }
    expect(
      await waitFor(
        () => storedEventCount(p.id),
        (n) => n >= 32,
      ),
    ).toBe(32);
    const ref = { projectId: p.id, environment: "production", slug };
    // Still in the object's outbox: the alarm writes the archive minutes later.
    expect(await keysUnder(deploymentPrefix(ref))).toEqual([]);

    const events = await exported(
      p.read,
      `deployment=${slug}&from=${from - 3_600_000}&to=${Date.now() + 60_000}`,
    );
    // Accepted in this order; exported by the hour of their ts, then in that order.
    const feedbackId = answers[1]?.ids[6];
    const written = [...first.map((e) => e.id), "e2e-late", feedbackId];
    const tsOf = new Map(events.map((e) => [e.id, e.ts]));
    const expected = written
      .map((id, i) => ({ id, i, hour: hourOf(tsOf.get(id ?? "") ?? Number.NaN) }))
      .sort((a, b) => a.hour - b.hour || a.i - b.i)
      .map((e) => e.id);
    expect(events.map((e) => e.id)).toEqual(expected);
    expect(events).toHaveLength(32);
    const one = events.find((e) => e.id === "e2e-0");
    expect(one).toMatchObject({ deployment: slug, ts: from, latency_ms: 100 });
    expect(typeof one?.received_at).toBe("number");
    // The user identifier is stored hashed, never as sent.
    expect(JSON.stringify(events)).not.toContain("alice@example.com");
    expect(one).toMatchObject({ user_hash: expect.stringMatching(/^[0-9a-f]{16,}$/) });
    expect(one).not.toHaveProperty("user");
    // The export wrote the objects; a second export reads the same events back.
    expect(await keysUnder(deploymentPrefix(ref))).not.toEqual([]);
    const again = await exported(p.read, `deployment=${slug}&from=${from}&to=${from + 10_000}`);
    expect(again.map((e) => e.id)).toEqual(first.slice(0, 10).map((e) => e.id));
  });

  it("includes probe runs still waiting in the deployment's synthetic sibling", async () => {
    const p = await createProject("e2e-probe");
    const slug = uniqueSlug("e2e");
    const deploymentId = `${p.id}:production:${slug}`;
    const now = Date.now();
    expect((await post(p.ingest, { id: "real", deployment: slug, ts: now - 2_000 })).status).toBe(
      202,
    );
    await waitFor(
      () => storedEventCount(p.id),
      (n) => n >= 1,
    );
    await env.DB.prepare(
      `INSERT INTO probes (id, project_id, deployment_id, definition, secret_headers, enabled,
         next_run_at, created_at, updated_at) VALUES (?, ?, ?, '{}', '{}', 0, 0, 0, 0)`,
    )
      .bind(`prb_${slug}`, p.id, deploymentId)
      .run();
    const monitor = { projectId: p.id, environment: "production", slug, deploymentId };
    const run: ArchivedEvent = {
      type: "interaction",
      id: "probe-run",
      deployment: slug,
      environment: "production",
      ts: now - 1_000,
      status: "ok",
      source: "synthetic",
      received_at: now,
    };
    const sibling = env.DEPLOYMENT_MONITOR.getByName(syntheticMonitorOf(deploymentId));
    expect(
      await sibling.ingest({ monitor: { ...monitor, synthetic: true }, events: [run] }),
    ).toMatchObject({ accepted: 1 });

    const events = await exported(p.read, `deployment=${slug}&from=${now - 60_000}`);
    // Within the hour, the deployment's own objects come before its probe runs'.
    expect(events.map((e) => e.id)).toEqual(["real", "probe-run"]);
  });
});
