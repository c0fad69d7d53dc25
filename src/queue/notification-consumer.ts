// NOTIFICATIONS consumer: one delivery attempt per message; transient failures are
// retried with the policy's delay, exhausted ones reach the DLQ and the delivery log.

import { deliver, markDeadLetter } from "../alerts/dispatch";
import { z } from "../zod";
import { recordDeadLetter } from "./dead-letters";

const NotificationMessageSchema = z.object({ deliveryId: z.string().min(1) });

export async function handleNotificationBatch(
  batch: MessageBatch<unknown>,
  env: Env,
): Promise<void> {
  const base = env.DELIVERY_BACKOFF_BASE_SECONDS
    ? Number(env.DELIVERY_BACKOFF_BASE_SECONDS)
    : undefined;
  for (const message of batch.messages) {
    const parsed = NotificationMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      await recordDeadLetter(env.DB, batch.queue, message, "invalid notification message");
      message.ack();
      continue;
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
  }
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
