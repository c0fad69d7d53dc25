// DeploymentMonitor.ingest's answers: absolute totals (the same for a redelivered call,
// so the consumer's D1 upserts are idempotent), and no resurrection after destroy().
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ArchivedEvent } from "../../src/archive/layout";
import type { MonitorRef } from "../../src/monitor/ingest-request";
import { testMonitor } from "./fixture";

const monitor = () => testMonitor("prj_ingest");

const event = (m: MonitorRef, id: string, ts: number, receivedAt: number): ArchivedEvent => ({
  type: "interaction",
  id,
  deployment: m.slug,
  environment: m.environment,
  ts,
  status: "ok",
  model: "gpt-4o",
  received_at: receivedAt,
});

describe("DeploymentMonitor.ingest", () => {
  it("answers absolute first/last seen and release totals, the same for a redelivered call", async () => {
    const m = monitor();
    const stub = env.DEPLOYMENT_MONITOR.getByName(m.deploymentId);
    const now = Date.now();
    const first = [event(m, "a", now - 5_000, now), event(m, "b", now - 1_000, now)];
    const answer = await stub.ingest({ monitor: m, events: first });
    const expected = {
      seen: { first: now - 5_000, last: now - 1_000 },
      releases: [expect.objectContaining({ model: "gpt-4o", count: 2 })],
    };
    expect(answer).toMatchObject({ accepted: 2, duplicates: 0, ...expected });
    expect(await stub.ingest({ monitor: m, events: first })).toMatchObject({
      accepted: 0,
      duplicates: 2,
      ...expected,
    });
    const more = await stub.ingest({ monitor: m, events: [event(m, "c", now - 9_000, now)] });
    expect(more).toMatchObject({
      accepted: 1,
      seen: { first: now - 9_000, last: now - 1_000 },
      releases: [expect.objectContaining({ count: 3 })],
    });
  });

  it("drops events received before the object was emptied by a deletion, accepts later ones", async () => {
    const m = monitor();
    const stub = env.DEPLOYMENT_MONITOR.getByName(m.deploymentId);
    const before = Date.now() - 1_000;
    await stub.destroy();
    const late = await stub.ingest({ monitor: m, events: [event(m, "x", before, before)] });
    expect(late).toEqual({ accepted: 0, duplicates: 0, dropped: 1, seen: null, releases: [] });
    const after = Date.now() + 1;
    const fresh = await stub.ingest({ monitor: m, events: [event(m, "y", after, after)] });
    expect(fresh).toMatchObject({ accepted: 1, dropped: 0 });
  });
});
