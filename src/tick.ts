// The every-minute cron tick. Errors are handled here: a try/catch around
// waitUntil would catch nothing.
import { completeClaim, eventsOfToken, staleTokens } from "./queue/claims";

/** Claims older than this are presumed abandoned (the batch died) and finished here. */
const STALE_CLAIM_MS = 5 * 60_000;

export async function runTick(env: Env, scheduledTime: number): Promise<void> {
  try {
    for (const token of await staleTokens(env.DB, scheduledTime - STALE_CLAIM_MS)) {
      await completeClaim(env, token, await eventsOfToken(env.DB, token));
    }
  } catch (err) {
    console.error("sweeping stale claims failed", err);
  }
}
