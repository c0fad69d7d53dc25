// NOTIFICATIONS consumer: one delivery attempt per message, a few at a time; transient
// failures are retried with the policy's delay, exhausted ones reach the DLQ and the delivery log.

import { deliver, markDeadLetter } from "../alerts/delivery/dispatch";
import { NotificationMessageSchema } from "../queue/message-schema";
import { forEachBounded } from "../shared/bounded";
import { recordDeadLetter } from "./dead-letters";

/** Deliveries in flight per batch: receivers answer within 10 s, so a batch of 10 takes ≤ 20 s. */
const DELIVERY_CONCURRENCY = 5;

export async function handleNotificationBatch(
  batch: MessageBatch<unknown>,
  env: Env,
): Promise<void> {
  const base = env.DELIVERY_BACKOFF_BASE_SECONDS
    ? Number(env.DELIVERY_BACKOFF_BASE_SECONDS)
    : undefined;
  await forEachBounded(batch.messages, DELIVERY_CONCURRENCY, async (message) => {
    const parsed = NotificationMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      await recordDeadLetter(env.DB, batch.queue, message, "invalid notification message");
      message.ack();
      return;
    }
    try {
      const decision = await deliver(env, parsed.data.deliveryId, message.attempts, base);
      if (decision.action === "retry") message.retry({ delaySeconds: decision.delay_seconds });
      // Past the attempt budget: retry once more so the queue moves it to the DLQ.
      else if (decision.action === "give_up") message.retry();
      else message.ack();
    } catch (err) {
      console.error("notification delivery failed", err);
      message.retry({ delaySeconds: 10 });
    }
  });
}

/** Notifications DLQ: the delivery is marked dead_letter and the message counted. */
export async function handleNotificationDeadLetters(
  batch: MessageBatch<unknown>,
  env: Env,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = NotificationMessageSchema.safeParse(message.body);
    if (parsed.success) await markDeadLetter(env, parsed.data.deliveryId);
    await recordDeadLetter(env.DB, batch.queue, message, "notification retries exhausted");
    message.ack();
  }
}
