// TELEMETRY consumer: store events idempotently in D1, then count the newly stored
// ones in their deployments' windows (see claims.ts for the exactly-once protocol).
import type { TelemetryMessage } from "../ingest/enqueue";
import { deploymentIdOf } from "./aggregate";
import {
  claimStatement,
  completeClaim,
  eventsOfToken,
  newClaimToken,
  orphanStatement,
  pickClaimed,
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
    // One D1 round trip: store every message's events, claim the new ones, and look
    // for claims an earlier failed attempt left on them.
    const token = newClaimToken();
    const ids = good.map((g) => g.body.events.map((e) => e.id));
    const results = await env.DB.batch<{ id: string; applied: number }>([
      ...good.map((g) => insertStatement(env.DB, g.body)),
      ...good.map((g, i) => claimStatement(env.DB, g.body.projectId, ids[i] ?? [], token)),
      ...good.map((g, i) => orphanStatement(env.DB, g.body.projectId, ids[i] ?? [])),
    ]);
    const claimed = good.flatMap((g, i) =>
      pickClaimed(
        g.body.projectId,
        g.body.events,
        (results[good.length + i]?.results ?? []).map((r) => r.id),
      ),
    );
    const orphans = new Set(
      results.slice(2 * good.length).flatMap((r) => r.results.map((row) => row.applied)),
    );
    orphans.delete(token);
    await completeClaim(env, token, claimed);
    for (const orphan of orphans) {
      await completeClaim(env, orphan, await eventsOfToken(env.DB, orphan));
    }
    for (const { message } of good) message.ack();
  } catch (err) {
    console.error("telemetry batch failed; retrying", err);
    for (const { message } of good) message.retry();
  }
}
