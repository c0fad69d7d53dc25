// The notification outbox. An evaluation writes its incident changes and the deliveries
// they cause (status "pending", queued_at null) in ONE D1 batch, so an alert exists
// exactly when the state that promised it does. Sending is separate and repeatable:
//   1. claim: set queued_at on rows still unclaimed (or whose claim is older than the
//      lease: a sender that died between claim and send), RETURNING the ids it won;
//   2. send one NOTIFICATIONS message per claimed row;
//   3. if the send throws, release the claims so the next sender retries at once.
// The evaluation sends its own rows straight away; the cron tick drains whatever is
// left. A crash anywhere therefore delays an alert (to the next tick, or the lease if
// the sender died mid-send), never loses it. A row is queued once in the normal case; a
// lease expiry can queue it twice, which the consumer absorbs (a delivered row is not
// sent again) and receivers can dedupe on the stable webhook-id.
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import { channelsTable, deliveriesTable } from "../../db/schema";
import { faultPoint } from "../../fault-points";
import type { NotificationMessage } from "../../queue/message-schema";
import type { NotificationGroup } from "./notification-types";
import { buildSlackMessage } from "./slack";
import { buildWebhookPayload } from "./webhook-payload";

type ChannelRow = typeof channelsTable.$inferSelect;
type DeliveryRow = typeof deliveriesTable.$inferInsert;

/** A claimed row whose queue send never happened is claimed again after this long. */
export const OUTBOX_LEASE_MS = 10 * 60_000;
/** Rows one drain claims: one tick's worth of alerts for many deployments. */
const DRAIN_LIMIT = 500;
/** Messages per sendBatch call (the Queues limit). */
const SEND_BATCH = 100;

function renderPayload(channel: ChannelRow, group: NotificationGroup, now: number): string {
  if (channel.type === "slack") return JSON.stringify(buildSlackMessage(group));
  return JSON.stringify(buildWebhookPayload(group, now));
}

/**
 * The outbox row for one group on one channel. Its id derives from the group key (the
 * deployment and minute), so evaluating a minute twice never writes it twice.
 */
export function outboxRow(
  projectId: string,
  group: NotificationGroup,
  channel: ChannelRow,
  now: number,
): DeliveryRow {
  return {
    id: `dlv_${group.group_key}_${channel.id}`,
    projectId,
    channelId: channel.id,
    incidentIds: group.items.map((i) => i.incident_id),
    status: "pending",
    attempts: 0,
    payload: renderPayload(channel, group, now),
    queuedAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The insert that puts one row in the outbox, for the caller's batch. NOTE: one row per
 * statement: a row binds 10 parameters and D1 allows 100 per statement.
 */
export const outboxInsert = (db: D1Database, row: DeliveryRow) =>
  drizzle(db).insert(deliveriesTable).values(row).onConflictDoNothing();

async function claim(db: D1Database, now: number, ids?: string[]): Promise<string[]> {
  const free = "status = 'pending' AND (queued_at IS NULL OR queued_at < ?2)";
  const statement = ids
    ? db
        .prepare(
          `UPDATE deliveries SET queued_at = ?1
           WHERE id IN (SELECT value FROM json_each(?3)) AND ${free} RETURNING id`,
        )
        .bind(now, now - OUTBOX_LEASE_MS, JSON.stringify(ids))
    : db
        .prepare(
          `UPDATE deliveries SET queued_at = ?1 WHERE id IN (
             SELECT id FROM deliveries WHERE ${free} ORDER BY created_at LIMIT ${DRAIN_LIMIT}
           ) AND ${free} RETURNING id`,
        )
        .bind(now, now - OUTBOX_LEASE_MS);
  return (await statement.all<{ id: string }>()).results.map((r) => r.id);
}

async function release(db: D1Database, now: number, ids: string[]): Promise<void> {
  await db
    .prepare(
      "UPDATE deliveries SET queued_at = NULL WHERE id IN (SELECT value FROM json_each(?1)) AND queued_at = ?2",
    )
    .bind(JSON.stringify(ids), now)
    .run();
}

/** The project's enabled channels: each gets every notification the project sends. */
export const enabledChannels = (db: D1Database, projectId: string) =>
  drizzle(db)
    .select()
    .from(channelsTable)
    .where(and(eq(channelsTable.projectId, projectId), eq(channelsTable.enabled, true)));

/**
 * Queues the rows an evaluation has just committed. A failure is only logged: the rows
 * are in the outbox, and the next tick's drain sends them.
 */
export async function sendCommitted(env: Env, now: number, ids: string[], what: string) {
  try {
    await sendOutbox(env, now, ids);
  } catch (err) {
    console.error(`queueing ${what}; the next tick's drain sends them`, err);
  }
}

/**
 * Commits an evaluation's statements (incident steps) and the outbox rows they cause in one
 * D1 batch, then queues those rows. Returns how many rows it wrote: 0 with nothing to commit.
 * If a guard in the statements fails, the batch writes nothing and the caller's next run
 * steps again from the state it finds.
 */
export async function commitWithOutbox(
  env: Env,
  statements: readonly BatchItem<"sqlite">[],
  rows: readonly DeliveryRow[],
  now: number,
  what: string,
): Promise<number> {
  const [first, ...rest] = [...statements, ...rows.map((row) => outboxInsert(env.DB, row))];
  if (!first) return 0;
  await drizzle(env.DB).batch([first, ...rest]);
  await sendCommitted(
    env,
    now,
    rows.map((r) => r.id),
    what,
  );
  return rows.length;
}

/**
 * Sends outbox rows to the NOTIFICATIONS queue: the given ids (an evaluation's own rows)
 * or every due row. Returns how many were queued; throws if a send failed, after
 * releasing the rows it did not queue.
 */
export async function sendOutbox(env: Env, now: number, ids?: string[]): Promise<number> {
  if (ids?.length === 0) return 0;
  const claimed = await claim(env.DB, now, ids);
  let sent = 0;
  try {
    for (; sent < claimed.length; sent += SEND_BATCH) {
      const chunk = claimed.slice(sent, sent + SEND_BATCH);
      faultPoint("notifications.send", chunk.join(","));
      await env.NOTIFICATIONS.sendBatch(
        chunk.map((deliveryId) => ({
          body: { deliveryId } satisfies NotificationMessage,
          contentType: "json" as const,
        })),
      );
    }
  } catch (err) {
    await release(env.DB, now, claimed.slice(sent)).catch((e: unknown) =>
      console.error("releasing outbox claims failed; they expire with the lease", e),
    );
    throw err;
  }
  return claimed.length;
}
