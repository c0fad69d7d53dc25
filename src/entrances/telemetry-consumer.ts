// TELEMETRY consumer. Exactly-once counting on at-least-once delivery lives in each
// deployment's Durable Object (src/monitor/ledger/ledger.ts): a batch becomes one ingest
// call per monitor, each accepting only ids it has not seen, in one local transaction.
// Then the deployments and release markers are upserted in D1 with the absolute values
// the objects answer, and the messages are acknowledged. A failure anywhere retries the
// whole batch: the objects recognise what they already accepted, and the upserts write
// the same values again.
import { faultPoint } from "../fault-points";
import { monitorIdOf } from "../monitor/monitor-id";
import { parseTelemetryMessage, type TelemetryMessage } from "../queue/message-schema";
import { recordStatements } from "../queue/record";
import { readTombstones, routeEvents } from "../queue/route";
import { recordDeadLetter } from "./dead-letters";

export async function handleTelemetryBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { message: Message<unknown>; body: TelemetryMessage }[] = [];
  for (const message of batch.messages) {
    const parsed = parseTelemetryMessage(message.body);
    if (parsed.success) good.push({ message, body: parsed.data });
    else {
      // A malformed message can never succeed: keep it for inspection, count it, move on.
      await recordDeadLetter(env.DB, batch.queue, message, `invalid message: ${parsed.error}`);
      message.ack();
    }
  }
  if (good.length === 0) return;
  try {
    const messages = good.map((g) => g.body);
    const tombstones = await readTombstones(
      env.DB,
      messages.map((m) => m.projectId),
    );
    const requests = routeEvents(messages, tombstones);
    const results = await Promise.all(
      requests.map((r) => env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(r.monitor)).ingest(r)),
    );
    faultPoint("consumer.record", requests.map((r) => monitorIdOf(r.monitor)).join(","));
    const statements = recordStatements(env.DB, requests, results);
    if (statements.length > 0) await env.DB.batch(statements);
    for (const { message } of good) message.ack();
  } catch (err) {
    console.error("telemetry batch failed; retrying", err);
    for (const { message } of good) message.retry();
  }
}
