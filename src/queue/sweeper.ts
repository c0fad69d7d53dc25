// The cron's stale-claim sweeper: finishes claims whose batch died part-way (claims.ts).
//
// One claim that keeps failing must never hold up the others: each claim is finished
// on its own, a failure is logged and sends that claim to the back of the line (its
// created_at moves to now, so it waits another STALE_CLAIM_MS), and a claim still
// failing after GIVE_UP_MS is abandoned into dead_letters. Giving up is what keeps
// counting exactly-once: the deployments that did apply the claim remember its token
// for TOKEN_RETENTION_MS only, and a retry after they forgot would count them twice.
import { drizzle } from "drizzle-orm/d1";
import { deadLettersTable } from "../db/schema";
import { TOKEN_RETENTION_MS } from "../monitor/time";
import { completeStoredClaim, staleClaims } from "./claims";

/** Claims older than this are presumed abandoned (the batch died) and finished here. */
export const STALE_CLAIM_MS = 5 * 60_000;
/** A claim still failing this long after it was opened is dead-lettered. */
export const GIVE_UP_MS = TOKEN_RETENTION_MS / 2;

export interface SweepResult {
  completed: number;
  failed: number;
  abandoned: number;
}

/** When the claim was opened: its token is its opening time in ms × 1000 (newClaimToken). */
const openedAt = (token: number) => Math.floor(token / 1000);

async function abandon(db: D1Database, token: number, error: string, now: number) {
  const row = await db
    .prepare("SELECT count(*) AS n FROM events WHERE claim = ?1")
    .bind(token)
    .first<{ n: number }>();
  await drizzle(db)
    .insert(deadLettersTable)
    .values({
      queue: "claims",
      messageId: `claim:${token}`,
      attempts: 0,
      eventCount: row?.n ?? 0,
      body: JSON.stringify({ token, openedAt: openedAt(token) }),
      reason: `stale claim still failing after ${GIVE_UP_MS / 3_600_000} h: ${error}`,
      receivedAt: now,
    });
  await db.prepare("DELETE FROM claims WHERE token = ?1").bind(token).run();
}

/** Finishes stale claims one by one; a failing claim is set back, never blocks the rest. */
export async function sweepStaleClaims(env: Env, now: number): Promise<SweepResult> {
  const result: SweepResult = { completed: 0, failed: 0, abandoned: 0 };
  for (const token of await staleClaims(env.DB, now - STALE_CLAIM_MS)) {
    try {
      await completeStoredClaim(env, token);
      result.completed++;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      console.error(`stale claim ${token} failed: ${error}`);
      try {
        if (now - openedAt(token) >= GIVE_UP_MS) {
          await abandon(env.DB, token, error, now);
          result.abandoned++;
        } else {
          await env.DB.prepare("UPDATE claims SET created_at = ?2 WHERE token = ?1")
            .bind(token, now)
            .run();
          result.failed++;
        }
      } catch (inner) {
        console.error(`could not set stale claim ${token} aside`, inner);
        result.failed++;
      }
    }
  }
  return result;
}
