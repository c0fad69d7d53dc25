// TELEMETRY consumer: store events idempotently in D1, then count the newly stored
// ones in their deployments' windows (see claims.ts for the exactly-once protocol).
import type { TelemetryMessage } from "../ingest/enqueue";
import {
  completeClaim,
  completeStoredClaim,
  insertedStatement,
  insertStatement,
  newClaimToken,
  openClaimStatement,
  orphanStatement,
  pickClaimed,
} from "./claims";
import { recordDeadLetter } from "./dead-letters";
import { parseTelemetryMessage } from "./message-schema";

export async function handleTelemetryBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { message: Message<unknown>; body: TelemetryMessage }[] = [];
  for (const message of batch.messages) {
    const parsed = await parseTelemetryMessage(message.body);
    if (parsed.success) good.push({ message, body: parsed.data });
    else {
      // A malformed message can never succeed: keep it for inspection, count it, move on.
      await recordDeadLetter(env.DB, batch.queue, message, `invalid message: ${parsed.error}`);
      message.ack();
    }
  }
  if (good.length === 0) return;
  try {
    // One D1 transaction: open a claim and store every message's events under it. A
    // redelivered message also looks for unfinished claims an earlier attempt left on
    // its events (first deliveries skip that lookup; the cron sweeper covers the rest).
    const token = newClaimToken();
    const retried = good.filter((g) => g.message.attempts > 1);
    const idsOf = (g: (typeof good)[number]) => g.body.events.map((e) => e.id);
    const results = await env.DB.batch<{ claim: number }>([
      openClaimStatement(env.DB, token, Date.now()),
      ...good.map((g) => insertStatement(env.DB, g.body, token)),
      ...retried.map((g) => orphanStatement(env.DB, g.body.projectId, idsOf(g), token)),
    ]);
    // A message whose every event was new is claimed whole; for the others (resends,
    // redeliveries) ask which of their events this claim stored.
    const partial = good.filter((g, i) => results[1 + i]?.meta.changes !== g.body.events.length);
    const inserted =
      partial.length === 0
        ? []
        : await env.DB.batch<{ id: string }>(
            partial.map((g) => insertedStatement(env.DB, g.body.projectId, idsOf(g), token)),
          );
    const seen = partial.length > 0 ? new Map<string, Set<string>>() : null;
    const claimed = good.flatMap((g) => {
      const p = partial.indexOf(g);
      const ids = p < 0 ? "all" : new Set((inserted[p]?.results ?? []).map((r) => r.id));
      return pickClaimed(g.body.projectId, g.body.events, ids, seen);
    });
    const orphans = new Set(
      results.slice(1 + good.length).flatMap((r) => r.results.map((row) => row.claim)),
    );
    await completeClaim(env, token, claimed);
    for (const orphan of orphans) await completeStoredClaim(env, orphan);
    for (const { message } of good) message.ack();
  } catch (err) {
    console.error("telemetry batch failed; retrying", err);
    for (const { message } of good) message.retry();
  }
}
