// The every-minute cron tick. Errors are handled here: a try/catch around
// waitUntil would catch nothing.
import { completeClaim, eventsOfToken, staleTokens } from "./queue/claims";

/** Claims older than this are presumed abandoned (the batch died) and finished here. */
const STALE_CLAIM_MS = 5 * 60_000;

/** Finishes claims whose batch died part-way and never came back. */
async function sweepStaleClaims(env: Env, now: number): Promise<number> {
  const tokens = await staleTokens(env.DB, now - STALE_CLAIM_MS);
  for (const token of tokens) await completeClaim(env, token, await eventsOfToken(env.DB, token));
  return tokens.length;
}

/** One tick; each step is isolated so one failure never stops the others. */
export async function runTick(env: Env, scheduledTime: number): Promise<void> {
  try {
    await sweepStaleClaims(env, scheduledTime);
  } catch (err) {
    console.error("sweeping stale claims failed", err);
  }
}
