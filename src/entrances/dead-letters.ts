// Messages that kept failing: recorded in D1 so they are counted and inspectable.
import { drizzle } from "drizzle-orm/d1";
import { deadLettersTable } from "../db/schema";
import { readableBody } from "../queue/message-schema";

export async function recordDeadLetter(
  db: D1Database,
  queue: string,
  message: Message<unknown>,
  reason?: string,
): Promise<void> {
  const { json, eventCount } = readableBody(message.body);
  await drizzle(db)
    .insert(deadLettersTable)
    .values({
      queue,
      messageId: message.id,
      attempts: message.attempts,
      eventCount,
      body: json,
      reason: reason ?? "retries exhausted on the main queue",
      receivedAt: Date.now(),
    });
}

/** DLQ consumer: every message is recorded, then acknowledged. */
export async function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await recordDeadLetter(env.DB, batch.queue, message);
      message.ack();
    } catch (err) {
      console.error("could not record dead letter", err);
      message.retry();
    }
  }
}
