// Alert delivery: one attempt at a delivery row (written by the outbox, src/alerts/outbox.ts)
// per NOTIFICATIONS message, recorded in the delivery log; and the channel test message.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { channelsTable, deliveriesTable } from "../db/schema";
import {
  classifyDelivery,
  type DeliveryAttemptResult,
  type DeliveryDecision,
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
  await outboxInsert(env.DB, [row]);
  // A failed send leaves the row in the outbox for the next tick.
  await sendOutbox(env, now, [row.id]).catch((err: unknown) =>
    console.error("queueing a test notification failed; the next tick sends it", err),
  );
  return row.id;
}

async function post(
  channel: ChannelRow,
  deliveryId: string,
  payload: string,
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
    const res = await fetch(channel.url, { method: "POST", headers, body: payload });
    await res.body?.cancel();
    return { kind: "http", status: res.status, retry_after: res.headers.get("retry-after") };
  } catch {
    return { kind: "network_error" };
  }
}

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
  const [channel] = await db
    .select()
    .from(channelsTable)
    .where(eq(channelsTable.id, delivery.channelId));
  const now = Date.now();
  if (!channel?.enabled) {
    await db
      .update(deliveriesTable)
      .set({
        status: "failed",
        lastError: channel ? "channel disabled" : "channel deleted",
        updatedAt: now,
      })
      .where(eq(deliveriesTable.id, deliveryId));
    return { action: "permanent_failure", reason: "rejected", delay_seconds: 0 };
  }
  const result = await post(channel, deliveryId, delivery.payload);
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
      lastError:
        result.kind === "http"
          ? status === "delivered"
            ? null
            : `HTTP ${result.status}`
          : "network error",
      updatedAt: now,
    })
    .where(eq(deliveriesTable.id, deliveryId));
  if (decision.action === "disable_channel") {
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
