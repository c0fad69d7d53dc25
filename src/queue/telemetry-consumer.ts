// TELEMETRY consumer: store events idempotently in D1, then count the newly stored
// ones in their deployments' windows (see claims.ts for the exactly-once protocol).
import type { TelemetryMessage } from "../ingest/enqueue";
import { deploymentIdOf } from "./aggregate";
import {
  claimPending,
  completeClaim,
  eventsOfToken,
  newClaimToken,
  orphanedTokens,
} from "./claims";
import { recordDeadLetter } from "./dead-letters";
import { TelemetryMessageSchema } from "./message-schema";

function insertStatement(db: D1Database, m: TelemetryMessage): D1PreparedStatement {
  const rows = m.events.map((e) => ({
    id: e.id,
    deployment_id: deploymentIdOf(m.projectId, e),
    type: e.type,
    ts: e.ts,
    data: JSON.stringify(e),
  }));
  // NOTE: one bound JSON parameter instead of 7 per row keeps far below D1's 100
  // parameters per statement. `WHERE true` resolves SQLite's upsert-after-SELECT ambiguity.
  return db
    .prepare(
      `INSERT INTO events (project_id, id, deployment_id, type, ts, received_at, data, applied)
       SELECT ?1, value ->> '$.id', value ->> '$.deployment_id', value ->> '$.type',
              value ->> '$.ts', ?2, value ->> '$.data', 0
       FROM json_each(?3) WHERE true
       ON CONFLICT (project_id, id) DO NOTHING`,
    )
    .bind(m.projectId, m.receivedAt, JSON.stringify(rows));
}

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
    await env.DB.batch(good.map((g) => insertStatement(env.DB, g.body)));
    const token = newClaimToken();
    const claimed = [];
    const orphans = new Set<number>();
    for (const { body } of good) {
      const ids = body.events.map((e) => e.id);
      claimed.push(...(await claimPending(env.DB, body.projectId, ids, token)));
      for (const t of await orphanedTokens(env.DB, body.projectId, ids))
        if (t !== token) orphans.add(t);
    }
    await completeClaim(env, token, claimed);
    for (const orphan of orphans)
      await completeClaim(env, orphan, await eventsOfToken(env.DB, orphan));
    for (const { message } of good) message.ack();
  } catch (err) {
    console.error("telemetry batch failed; retrying", err);
    for (const { message } of good) message.retry();
  }
}
