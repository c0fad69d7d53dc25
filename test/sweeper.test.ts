// The stale-claim sweeper finishes each claim on its own: one that keeps failing is set
// back and finally dead-lettered, and never keeps the others from being counted.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../src/ingest/normalized";
import { insertStatement, newClaimToken, openClaimStatement } from "../src/queue/claims";
import { GIVE_UP_MS, sweepStaleClaims } from "../src/queue/sweeper";
import { runTick } from "../src/tick";
import { createProject, storedEventCount, uniqueSlug } from "./helpers";

const MINUTE = 60_000;

function events(slug: string, n: number, at: number): NormalizedEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    type: "interaction",
    id: `${slug}-${i}`,
    deployment: slug,
    environment: "production",
    ts: at - i * 1000,
    status: "ok",
    latency_ms: 100 + i,
  }));
}

/** A claim left behind by a batch that died after storing its events. */
async function staleClaim(projectId: string, slug: string, n: number, openedAt: number) {
  const token = newClaimToken(openedAt);
  await env.DB.batch([
    openClaimStatement(env.DB, token, openedAt),
    insertStatement(
      env.DB,
      { projectId, receivedAt: openedAt, events: events(slug, n, Date.now()) },
      token,
    ),
  ]);
  return token;
}

/** A claim whose stored events cannot be read back, so completing it always throws. */
async function brokenClaim(projectId: string, openedAt: number) {
  const token = newClaimToken(openedAt);
  await env.DB.batch([
    openClaimStatement(env.DB, token, openedAt),
    env.DB.prepare(
      `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data, claim)
       VALUES (?1, ?2, ?1 || ':production:broken', 'interaction', ?3, ?3, '{not json', ?4)`,
    ).bind(projectId, `broken-${token}`, openedAt, token),
  ]);
  return token;
}

const windowCount = async (projectId: string, slug: string) =>
  (
    await env.DEPLOYMENT_MONITOR.getByName(`${projectId}:production:${slug}`).snapshot({
      from: Date.now() - 3_600_000,
      to: Date.now() + 1,
    })
  ).summary.count;

const claimRow = (token: number) =>
  env.DB.prepare("SELECT created_at FROM claims WHERE token = ?")
    .bind(token)
    .first<{ created_at: number }>();

describe("stale-claim sweeper", () => {
  it("finishes the claims after one that fails, and sets the failing one back", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const now = Date.now();
    const bad = await brokenClaim(p.id, now - 20 * MINUTE);
    await staleClaim(p.id, slug, 12, now - 10 * MINUTE);
    await runTick(env, now);
    expect(await windowCount(p.id, slug)).toBe(12);
    expect(await storedEventCount(p.id)).toBe(12);
    expect((await claimRow(bad))?.created_at).toBe(now);
    // Set back: the next pass within STALE_CLAIM_MS leaves it alone.
    expect(await sweepStaleClaims(env, now + MINUTE)).toEqual({
      completed: 0,
      failed: 0,
      abandoned: 0,
    });
  });

  it("gets past a full page of failing claims on the next pass", async () => {
    const p = await createProject();
    const slug = uniqueSlug();
    const now = Date.now();
    for (let i = 0; i < 50; i++) await brokenClaim(p.id, now - 60 * MINUTE + i);
    await staleClaim(p.id, slug, 7, now - 10 * MINUTE);
    const first = await sweepStaleClaims(env, now);
    expect(first.failed).toBeGreaterThanOrEqual(50);
    const second = await sweepStaleClaims(env, now + MINUTE);
    expect(second.completed).toBeGreaterThanOrEqual(1);
    expect(await windowCount(p.id, slug)).toBe(7);
  });

  it("dead-letters a claim still failing past the give-up age, before its tokens are forgotten", async () => {
    const p = await createProject();
    const now = Date.now();
    const bad = await brokenClaim(p.id, now - GIVE_UP_MS - MINUTE);
    await sweepStaleClaims(env, now);
    expect(await claimRow(bad)).toBeNull();
    const dead = await env.DB.prepare(
      "SELECT queue, event_count, reason FROM dead_letters WHERE message_id = ?",
    )
      .bind(`claim:${bad}`)
      .first<{ queue: string; event_count: number; reason: string }>();
    expect(dead).toMatchObject({ queue: "claims", event_count: 1 });
    expect(dead?.reason).toContain("stale claim still failing after 12 h");
  });
});
