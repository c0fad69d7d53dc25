// Archive retention against the real R2 binding: objects on both sides of the boundary
// hour, per project retention, only the deployment's own prefix, bounded per tick, and
// an object written late into an expired hour. Expiry is global, so each test owns its
// projects and checks the keys of its own deployments.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expireArchive, expiredHead } from "../../src/archive/expire";
import { type DeploymentRef, deploymentPrefix, objectKey } from "../../src/archive/layout";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../src/shared/time";
import { archived, hoursOf, keysUnder, putArchive } from "./fixture";

// 12:30 UTC: with 7 days of retention the cutoff is 12:30 a week earlier, so that week-old
// 12:00 hour straddles it and stays; the 11:00 hour ends exactly at the boundary and goes.
const NOW = Date.UTC(2026, 5, 1, 12, 30);
let seq = 0;

async function deployment(retentionDays: number, slug = "bot"): Promise<DeploymentRef> {
  const projectId = `prj_arx${seq++}`;
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO projects (id, name, retention_days, created_at) VALUES (?, 'a', ?, 0)`,
    ).bind(projectId, retentionDays),
    env.DB.prepare(
      `INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
       VALUES (?, ?, 'production', ?, 0, 0)`,
    ).bind(`${projectId}:production:${slug}`, projectId, slug),
  ]);
  return { projectId, environment: "production", slug };
}

/** One object per hour start given, each holding one event at the end of its hour. */
async function putHours(d: DeploymentRef, hours: number[]) {
  for (const [i, h] of hours.entries()) await putArchive(d, [archived(d, h + HOUR_MS - 1)], i + 1);
}

const weekAgo = (h: number, m = 0) => Date.UTC(2026, 4, 25, h, m);

describe("expiredHead", () => {
  const d = { projectId: "p", environment: "production", slug: "s" };
  const boundary = weekAgo(12);
  it("takes keys while their hour ends at or before the boundary, and stops at the first live one", () => {
    const keys = [weekAgo(10), weekAgo(11), weekAgo(12), weekAgo(13)].map((h, i) =>
      objectKey(d, h, i, i),
    );
    expect(expiredHead(keys, boundary)).toEqual({ expired: keys.slice(0, 2), live: true });
    expect(expiredHead(keys.slice(0, 2), boundary)).toEqual({
      expired: keys.slice(0, 2),
      live: false,
    });
  });

  it("skips keys that are not archive object keys", () => {
    const key = objectKey(d, weekAgo(3), 1, 1);
    expect(expiredHead(["events/p/production/s/notes.txt", key], boundary)).toEqual({
      expired: [key],
      live: false,
    });
  });
});

describe("expireArchive", () => {
  it("deletes objects whose hour ended at or before now − retention_days, per project, and nothing else", async () => {
    const week = await deployment(7);
    const month = await deployment(30);
    const sibling = await deployment(7, "other");
    const hours = [weekAgo(10), weekAgo(11), weekAgo(12), weekAgo(13), Date.UTC(2026, 5, 1, 11)];
    for (const d of [week, month]) await putHours(d, hours);
    // Same project as `week`, another deployment: its own retention visit, its own keys.
    const unlisted = { ...week, slug: "no-row" };
    await putHours(unlisted, [weekAgo(1)]);
    await putHours(sibling, [weekAgo(11), weekAgo(12)]);

    const report = await expireArchive(env, NOW);

    expect(report.complete).toBe(true);
    expect(hoursOf(await keysUnder(deploymentPrefix(week)))).toEqual([
      "2026-05-25T12",
      "2026-05-25T13",
      "2026-06-01T11",
    ]);
    expect(hoursOf(await keysUnder(deploymentPrefix(month)))).toHaveLength(5);
    expect(hoursOf(await keysUnder(deploymentPrefix(sibling)))).toEqual(["2026-05-25T12"]);
    // A prefix with no deployment row is not retention's business (deletion's, if any).
    expect(await keysUnder(deploymentPrefix(unlisted))).toHaveLength(1);
  });

  it("visits a deployment once per hour, and then removes an object written late into an expired hour", async () => {
    const d = await deployment(7);
    await putHours(d, [weekAgo(9), weekAgo(12)]);
    expect((await expireArchive(env, NOW)).complete).toBe(true);
    expect(hoursOf(await keysUnder(deploymentPrefix(d)))).toEqual(["2026-05-25T12"]);

    // Same hour: nothing is due, so nothing is listed.
    expect(await expireArchive(env, NOW + 10 * MINUTE_MS)).toMatchObject({ lists: 0, deleted: 0 });

    // A late event lands in the 08:00 hour, long expired.
    await putArchive(d, [archived(d, weekAgo(8, 15))], 3);
    const next = await expireArchive(env, NOW + HOUR_MS);
    expect(next.complete).toBe(true);
    // The 12:00 hour ends at the new boundary (13:00) and goes too.
    expect(await keysUnder(deploymentPrefix(d))).toEqual([]);
  });

  it("stops at the object and time bounds, and the next tick continues where it stopped", async () => {
    const later = NOW + 2 * DAY_MS;
    const d = await deployment(1);
    await putHours(
      d,
      Array.from({ length: 5 }, (_, i) => Date.UTC(2026, 5, 1, i)),
    );

    const none = await expireArchive(env, later, { budgetMs: 0 });
    expect(none).toMatchObject({ lists: 0, deleted: 0, complete: false });
    expect(await keysUnder(deploymentPrefix(d))).toHaveLength(5);

    const some = await expireArchive(env, later, { objects: 2 });
    expect(some).toMatchObject({ deleted: 2, complete: false });
    expect(hoursOf(await keysUnder(deploymentPrefix(d)))).toEqual([
      "2026-06-01T02",
      "2026-06-01T03",
      "2026-06-01T04",
    ]);

    const rest = await expireArchive(env, later);
    expect(rest.complete).toBe(true);
    expect(await keysUnder(deploymentPrefix(d))).toEqual([]);
  });

  it("visits at most the given number of deployments per tick", async () => {
    const later = NOW + 10 * DAY_MS;
    const a = await deployment(1);
    const b = await deployment(1);
    for (const d of [a, b]) await putHours(d, [Date.UTC(2026, 5, 2, 0)]);

    let ticks = 0;
    for (;;) {
      const report = await expireArchive(env, later, { deployments: 1 });
      expect(report.finished).toBeLessThanOrEqual(1);
      ticks++;
      if (report.complete) break;
    }
    // a and b, one per tick, then a tick that finds nothing due.
    expect(ticks).toBeGreaterThanOrEqual(3);
    for (const d of [a, b]) expect(await keysUnder(deploymentPrefix(d))).toEqual([]);
  });
});
