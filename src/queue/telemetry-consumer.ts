// TELEMETRY consumer: store events idempotently in D1, then count the newly stored
// ones in their deployments' windows (see claims.ts for the exactly-once protocol).
import type { TelemetryMessage } from "../ingest/enqueue";
import {
  completeClaim,
  completeStoredClaim,
  insertStatement,
  newClaimToken,
  openClaimStatement,
  orphanStatement,
  pickClaimed,
} from "./claims";
import { recordDeadLetter } from "./dead-letters";
import { TelemetryMessageSchema } from "./message-schema";

export async function handleTelemetryBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { message: Message<unknown>; body: TelemetryMessage }[] = [];
  for (const message of batch.messages) {
    const parsed = TelemetryMessageSchema.safeParse(message.body);
    if (parsed.success) good.push({ message, body: parsed.data });
    else {
      // A malformed message can never succeed: keep it for inspection, count it, move on.
      await recordDeadLetter(
        env.DB,
        batch.queue,
        message,
        `invalid message: ${parsed.error.message}`,
      );
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
    const results = await env.DB.batch<{ id: string; claim: number }>([
      openClaimStatement(env.DB, token, Date.now()),
      ...good.map((g) => insertStatement(env.DB, g.body, token)),
      ...retried.map((g) =>
        orphanStatement(
          env.DB,
          g.body.projectId,
          g.body.events.map((e) => e.id),
          token,
        ),
      ),
    ]);
    const claimed = good.flatMap((g, i) =>
      pickClaimed(
        g.body.projectId,
        g.body.events,
        (results[1 + i]?.results ?? []).map((r) => r.id),
      ),
    );
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
