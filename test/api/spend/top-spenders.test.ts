// GET /v1/deployments/{env}/{slug}/top-spenders against a real Durable Object: events
// ingested through its RPC, heavy spenders by user, session and tag with share and bound;
// exactly once (a redelivered batch counts nothing twice); probe runs not counted.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../../src/archive/layout";
import { HOUR_MS } from "../../../src/shared/time";
import { createDeployment, monitorOf } from "../../deployment-fixture";
import { call, createProject } from "../../helpers";
import { spendEvent } from "../../spend/spend-event";

/** A priced request whose session and feature tag follow its user. */
const event = (slug: string, user: string, cost: number, extra: Partial<ArchivedEvent> = {}) =>
  spendEvent(slug, user, cost, {
    session_hash: `s-${user}`,
    tags: { feature: user === "loop" ? "agent" : "chat" },
    ...extra,
  });

interface Answer {
  total_usd: number;
  requests: number;
  error_bound_usd: number;
  spenders: {
    key: string;
    cost_usd: number;
    cost_usd_max: number;
    requests: number;
    share: number;
  }[];
}

async function setup() {
  const p = await createProject();
  const d = await createDeployment(p.id);
  const stub = env.DEPLOYMENT_MONITOR.getByName(d.id);
  const monitor = monitorOf(p.id, d);
  return { p, d, stub, monitor };
}

async function top(key: string, slug: string, query: string) {
  const res = await call(`/v1/deployments/production/${slug}/top-spenders?${query}`, { key });
  return { status: res.status, body: (await res.json()) as Answer };
}

describe("top spenders", () => {
  it("lists the heaviest users first with cost, requests, share and the sketch's bound", async () => {
    const { p, d, stub, monitor } = await setup();
    const events = [
      ...Array.from({ length: 50 }, () => event(d.slug, "loop", 0.5)),
      ...Array.from({ length: 10 }, (_, i) => event(d.slug, `u${i}`, 0.25)),
    ];
    await stub.ingest({ monitor, events });
    // The same batch again (a queue redelivery) counts nothing twice.
    await stub.ingest({ monitor, events });
    const { status, body } = await top(p.read, d.slug, "by=user&range=1h&limit=3");
    expect(status).toBe(200);
    expect(body.total_usd).toBeCloseTo(27.5, 9);
    expect(body.requests).toBe(60);
    expect(body.error_bound_usd).toBe(0);
    expect(body.spenders).toHaveLength(3);
    expect(body.spenders[0]).toMatchObject({ key: "loop", requests: 50 });
    expect(body.spenders[0]?.cost_usd).toBeCloseTo(25, 9);
    expect(body.spenders[0]?.share).toBeCloseTo(25 / 27.5, 9);
  });

  it("answers by session and by a tag's values", async () => {
    const { p, d, stub, monitor } = await setup();
    await stub.ingest({ monitor, events: [event(d.slug, "loop", 3), event(d.slug, "a", 1)] });
    const bySession = await top(p.read, d.slug, "by=session");
    expect(bySession.body.spenders.map((s) => s.key)).toEqual(["s-loop", "s-a"]);
    const byTag = await top(p.read, d.slug, "by=tag:feature&range=7d");
    expect(byTag.body.spenders.map((s) => [s.key, s.cost_usd])).toEqual([
      ["agent", 3],
      ["chat", 1],
    ]);
  });

  it("keeps more users than it tracks within its stated bound", async () => {
    const { p, d, stub, monitor } = await setup();
    // 100 users at $1 and one at $40: only the heavy one is above total / 33.
    const events = [
      event(d.slug, "heavy", 40),
      ...Array.from({ length: 100 }, (_, i) => event(d.slug, `u${i}`, 1)),
    ];
    await stub.ingest({ monitor, events });
    const { body } = await top(p.read, d.slug, "by=user&limit=32");
    expect(body.total_usd).toBeCloseTo(140, 9);
    expect(body.error_bound_usd).toBeLessThanOrEqual(140 / 33);
    const heavy = body.spenders[0];
    expect(heavy?.key).toBe("heavy");
    expect(heavy?.cost_usd).toBeGreaterThanOrEqual(40 - body.error_bound_usd);
    expect(heavy?.cost_usd_max).toBeGreaterThanOrEqual(40);
  });

  it("ignores events without a cost and probe runs", async () => {
    const { p, d, stub, monitor } = await setup();
    await stub.ingest({
      monitor,
      events: [
        event(d.slug, "x", 0),
        event(d.slug, "y", 1, { cost_usd: undefined } as Partial<ArchivedEvent>),
      ],
    });
    await stub.ingest({
      monitor: { ...monitor, synthetic: true },
      events: [event(d.slug, "probe", 5, { source: "synthetic" })],
    });
    const { body } = await top(p.read, d.slug, "by=user");
    expect(body).toMatchObject({ total_usd: 0, requests: 0, spenders: [] });
  });

  it("counts only the hours of the range", async () => {
    const { p, d, stub, monitor } = await setup();
    await stub.ingest({
      monitor,
      events: [event(d.slug, "old", 2, { ts: Date.now() - 3 * HOUR_MS })],
    });
    expect((await top(p.read, d.slug, "by=user&range=1h")).body.spenders).toEqual([]);
    expect((await top(p.read, d.slug, "by=user&range=24h")).body.spenders[0]?.key).toBe("old");
  });

  it("refuses an unknown dimension (400), an unknown deployment (404) and a missing key (401)", async () => {
    const { p, d } = await setup();
    const bad = await top(p.read, d.slug, "by=country");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("must be user, session or tag:<key>");
    expect((await top(p.read, "nope", "by=user")).status).toBe(404);
    expect((await call(`/v1/deployments/production/${d.slug}/top-spenders`)).status).toBe(401);
  });
});
