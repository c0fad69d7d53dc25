// Alert delivery: one attempt at a delivery row (written by the outbox, src/alerts/delivery/outbox.ts)
// per NOTIFICATIONS message, recorded in the delivery log; and the channel test message.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { channelsTable, deliveriesTable } from "../../db/schema";
import { checkOutboundUrl } from "../../net/outbound-url";
import { outboundOptions } from "../../net/public-origin";
import { dropSubscriber, subscriberTarget } from "../subscribers/subscriber-store";
import {
  classifyDelivery,
  type DeliveryAttemptResult,
  type DeliveryDecision,
  describeAttempt,
} from "./delivery-policy";
import { outboxInsert, outboxRow, sendOutbox } from "./outbox";
import { sampleGroup } from "./sample-notification";
import { signWebhook } from "./webhook-sign";

type ChannelRow = typeof channelsTable.$inferSelect;

/** Writes a sample alert for a channel to the outbox and queues it; returns its delivery id. */
export async function sendTestNotification(
  env: Env,
  channel: ChannelRow,
  origin: string,
): Promise<string> {
  const now = Date.now();
  const row = outboxRow(channel.projectId, sampleGroup(channel, origin, now), channel, now);
  await outboxInsert(env.DB, row);
  // A failed send leaves the row in the outbox for the next tick.
  await sendOutbox(env, now, [row.id]).catch((err: unknown) =>
    console.error("queueing a test notification failed; the next tick sends it", err),
  );
  return row.id;
}

/** Seconds a receiver has to answer before the attempt counts as failed (and is retried). */
export const DELIVERY_TIMEOUT_SECONDS = 10;

/**
 * One POST. Redirects are not followed (a 3xx is a failed attempt: following one could
 * lead anywhere, private networks included) and a slow receiver is cut off at the timeout.
 */
async function post(
  channel: ChannelRow,
  deliveryId: string,
  payload: string,
  timeoutSeconds: number,
): Promise<DeliveryAttemptResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Driftwatch/1",
  };
  if (channel.type === "webhook" && channel.secret) {
    // The webhook-id stays the same on every retry (receivers dedupe on it); the
    // timestamp and so the signature are fresh per attempt.
    const id = `msg_${deliveryId}`;
    Object.assign(
      headers,
      await signWebhook(channel.secret, id, Math.floor(Date.now() / 1000), payload),
    );
  }
  try {
    const res = await fetch(channel.url, {
      method: "POST",
      headers,
      body: payload,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await res.body?.cancel();
    return {
      kind: "http",
      status: res.status,
      retry_after: res.headers.get("retry-after"),
      location: res.headers.get("location"),
    };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    return timedOut ? { kind: "timeout" } : { kind: "network_error" };
  }
}

const failed = (reason: "rejected") => ({
  action: "permanent_failure" as const,
  reason,
  delay_seconds: 0,
});

/** One delivery attempt: send, classify, record in the delivery log. */
export async function deliver(
  env: Env,
  deliveryId: string,
  attempt: number,
  backoffBaseSeconds?: number,
): Promise<DeliveryDecision> {
  const db = drizzle(env.DB);
  const [delivery] = await db
    .select()
    .from(deliveriesTable)
    .where(eq(deliveriesTable.id, deliveryId));
  if (!delivery || delivery.status === "delivered")
    return { action: "done", reason: "delivered", delay_seconds: 0 };
  const [found] = await db
    .select()
    .from(channelsTable)
    .where(eq(channelsTable.id, delivery.channelId));
  // A status page subscriber's rows name it where a channel would be (src/alerts/subscribers/).
  const channel = found ?? (await subscriberTarget(env.DB, delivery.channelId, deliveryId));
  const now = Date.now();
  const fail = async (lastError: string) => {
    await db
      .update(deliveriesTable)
      .set({ status: "failed", attempts: attempt, lastError, updatedAt: now })
      .where(eq(deliveriesTable.id, deliveryId));
    return failed("rejected");
  };
  if (!channel?.enabled) return fail(channel ? "channel disabled" : "channel deleted");
  // Checked again at send time: the policy or PUBLIC_URL may have changed since the
  // channel was saved.
  const target = checkOutboundUrl(channel.url, outboundOptions(env));
  if (!target.ok) return fail(`channel url refused: ${target.reason}`);
  const timeoutSeconds = Number(env.DELIVERY_TIMEOUT_SECONDS) || DELIVERY_TIMEOUT_SECONDS;
  const result = await post(channel, deliveryId, delivery.payload, timeoutSeconds);
  const decision = classifyDelivery(result, {
    attempt,
    now,
    random: Math.random,
    ...(backoffBaseSeconds === undefined ? {} : { policy: { base_seconds: backoffBaseSeconds } }),
  });
  const status =
    decision.action === "done"
      ? "delivered"
      : decision.action === "retry" || decision.action === "give_up"
        ? "retrying"
        : "failed";
  await db
    .update(deliveriesTable)
    .set({
      status,
      attempts: attempt,
      lastStatusCode: result.kind === "http" ? result.status : null,
      lastError: describeAttempt(result, timeoutSeconds),
      updatedAt: now,
    })
    .where(eq(deliveriesTable.id, deliveryId));
  if (decision.action === "disable_channel" && !found) await dropSubscriber(env.DB, channel.id);
  else if (decision.action === "disable_channel") {
    await db
      .update(channelsTable)
      .set({ enabled: false, disabledReason: "the endpoint answered 410 Gone" })
      .where(eq(channelsTable.id, channel.id));
  }
  return decision;
}

/** Marks a delivery that exhausted its retries (from the notifications DLQ). */
export async function markDeadLetter(env: Env, deliveryId: string): Promise<void> {
  await drizzle(env.DB)
    .update(deliveriesTable)
    .set({ status: "dead_letter", updatedAt: Date.now() })
    .where(eq(deliveriesTable.id, deliveryId));
}
