// The window and checks answers say how ready a deployment's baseline is and, for a new
// one, after how many more events or at what time it will be (issue 22, item 2).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedInteraction } from "../../../src/ingest/normalized";
import { addEvent, emptyBucket, encodeBucket } from "../../../src/window/bucket";
import { call, createProject, type TestProject, uniqueSlug } from "../../helpers";

const MINUTE = 60_000;

interface Readiness {
  source: string;
  events: number;
  needed: number;
  ready: boolean;
  events_to_go: number;
  ready_at: number | null;
  message: string;
}

/** A deployment born `ageMinutes` ago with `perMinute` interactions in each minute since. */
async function young(p: TestProject, ageMinutes: number, perMinute: number) {
  const slug = uniqueSlug("young");
  const id = `${p.id}:production:${slug}`;
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const born = now - ageMinutes * MINUTE;
  const buckets = Array.from({ length: ageMinutes }, (_, m) => {
    const bucket = emptyBucket();
    for (let i = 0; i < perMinute; i++) {
      const event: NormalizedInteraction = {
        type: "interaction",
        id: `${m}-${i}`,
        deployment: slug,
        environment: "production",
        ts: born + m * MINUTE + i,
        status: "ok",
        latency_ms: 500 + i,
      };
      addEvent(bucket, event);
    }
    return { start: born + m * MINUTE, data: encodeBucket(bucket) };
  });
  await env.DEPLOYMENT_MONITOR.getByName(id).apply({ deploymentId: id, token: id, buckets });
  await env.DB.prepare(
    "INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen) VALUES (?, ?, 'production', ?, ?, ?)",
  )
    .bind(id, p.id, slug, born, now)
    .run();
  return { base: `/v1/deployments/production/${slug}`, born };
}

async function readiness(p: TestProject, path: string): Promise<Readiness> {
  const res = await call(path, { key: p.read });
  expect(res.status).toBe(200);
  return ((await res.json()) as { baseline: Readiness }).baseline;
}

describe("baseline readiness in the window and checks answers", () => {
  it("tells a ten-minute-old deployment after how many events and at what time it compares", async () => {
    const p = await createProject("readiness");
    const d = await young(p, 10, 20);
    const before = Date.now();
    const r = await readiness(p, `${d.base}/window?range=1h`);
    expect(r).toMatchObject({
      source: "bootstrap",
      events: 0,
      needed: 100,
      ready: false,
      events_to_go: 100,
    });
    // Its first window ends at minute 16; 100 events at 200 per 15 minutes take 8 more.
    expect(r.ready_at).toBe(d.born + (16 + 8) * MINUTE);
    expect(r.ready_at ?? 0).toBeGreaterThan(before);
    const at = new Date(r.ready_at ?? 0).toISOString().slice(11, 16);
    expect(r.message).toBe(`baseline ready after 100 more events or at ${at} UTC`);
    expect(await readiness(p, `${d.base}/checks`)).toEqual(r);
  });

  it("says a forty-minute-old deployment compares with its own first traffic", async () => {
    const p = await createProject("readiness-ready");
    const d = await young(p, 40, 20);
    const r = await readiness(p, `${d.base}/window?range=1h`);
    expect(r).toMatchObject({ source: "bootstrap", ready: true, events_to_go: 0, ready_at: null });
    expect(r.events).toBeGreaterThanOrEqual(100);
  });
});
