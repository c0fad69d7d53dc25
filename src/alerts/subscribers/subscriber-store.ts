// Status page subscribers in D1: subscribe (bounded per page and per address per hour, the
// challenge queued in the same batch), confirm, unsubscribe, and the delivery target a
// subscriber's outbox row is sent to (src/alerts/delivery/dispatch.ts).
//
// The limits are checked inside the INSERT itself (INSERT … SELECT … WHERE counts below the
// limits), so two subscriptions racing cannot both take the last place.
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type channelsTable, deliveriesTable, statusSubscribersTable } from "../../db/schema";
import { base64Url, newRecordId } from "../../shared/ids";
import { generateSecret } from "../delivery/webhook-sign";

export type SubscriberRow = typeof statusSubscribersTable.$inferSelect;
export type SubscriberKind = SubscriberRow["kind"];

/** Subscribers a page holds: confirmed ones and challenges not yet expired. */
export const MAX_SUBSCRIBERS_PER_PAGE = 500;
/** Subscriptions one address may start per hour, on any page. */
export const MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR = 5;
/** An unconfirmed subscription lapses after this long (its links stop working). */
export const CHALLENGE_TTL_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

export interface NewSubscriber {
  projectId: string;
  kind: SubscriberKind;
  url: string;
  /** Component ids followed; null: the whole page. */
  components: string[] | null;
  /** sha256 of the client address (addressHash). */
  addressHash: string;
}

export type SubscribeResult =
  | { ok: true; subscriber: SubscriberRow; challengeId: string }
  | { ok: false; refused: "address_limit" | "page_full" | "already_subscribed" };

/** The id of a subscriber's challenge delivery: one per subscriber. */
export const challengeDeliveryId = (subscriberId: string) => `dlv_chl_${subscriberId}`;

/** 16 bytes of SHA-256 of the address, hex: enough to count, not to read back. */
export async function addressHash(address: string | null): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`status-subscribe:${address ?? "unknown"}`),
  );
  return [...new Uint8Array(digest).slice(0, 16)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * Stores a pending subscriber and its challenge delivery (rendered by `challenge` from the
 * new row) in one batch, or says which limit refused it.
 */
export async function subscribe(
  db: D1Database,
  input: NewSubscriber,
  challenge: (s: SubscriberRow) => string,
  now = Date.now(),
): Promise<SubscribeResult> {
  const row: SubscriberRow = {
    id: newRecordId("sub"),
    projectId: input.projectId,
    kind: input.kind,
    url: input.url,
    secret: input.kind === "webhook" ? generateSecret() : null,
    token: base64Url(crypto.getRandomValues(new Uint8Array(24))),
    components: input.components,
    status: "pending",
    addressHash: input.addressHash,
    createdAt: now,
    confirmedAt: null,
    updatedAt: now,
  };
  const lapsed = now - CHALLENGE_TTL_MS;
  const holding = sql`(status = 'active' OR (status = 'pending' AND created_at > ${lapsed}))`;
  const byAddress = sql`(SELECT count(*) FROM status_subscribers WHERE address_hash = ${row.addressHash} AND created_at > ${now - HOUR_MS})`;
  const onPage = sql`(SELECT count(*) FROM status_subscribers WHERE project_id = ${row.projectId} AND ${holding})`;
  const same = sql`EXISTS (SELECT 1 FROM status_subscribers WHERE project_id = ${row.projectId} AND url = ${row.url} AND ${holding})`;
  const d = drizzle(db);
  const challengeId = challengeDeliveryId(row.id);
  const payload = challenge(row);
  const [inserted] = await d.batch([
    d
      .insert(statusSubscribersTable)
      .select(
        sql`SELECT ${row.id}, ${row.projectId}, ${row.kind}, ${row.url}, ${row.secret}, ${row.token},
          ${row.components === null ? null : JSON.stringify(row.components)}, 'pending', ${row.addressHash},
          ${now}, NULL, ${now}
          WHERE ${byAddress} < ${MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR}
            AND ${onPage} < ${MAX_SUBSCRIBERS_PER_PAGE} AND NOT ${same}`,
      )
      .returning({ id: statusSubscribersTable.id }),
    d
      .insert(deliveriesTable)
      .select(
        sql`SELECT ${challengeId}, ${row.projectId}, ${row.id}, '[]', 'pending', 0, NULL, NULL,
          ${payload}, NULL, ${now}, ${now}
          WHERE EXISTS (SELECT 1 FROM status_subscribers WHERE id = ${row.id})`,
      )
      .onConflictDoNothing(),
    // Lapsed challenges and old unsubscriptions go; the last hour's stay for the address count.
    d.delete(statusSubscribersTable).where(
      sql`${statusSubscribersTable.projectId} = ${row.projectId} AND ${statusSubscribersTable.updatedAt} < ${now - HOUR_MS}
          AND (status = 'unsubscribed' OR (status = 'pending' AND created_at <= ${lapsed}))`,
    ),
  ]);
  if (inserted.length === 1) return { ok: true, subscriber: row, challengeId };
  const [counts] = await d.all<{ byAddress: number; same: number }>(
    sql`SELECT ${byAddress} AS byAddress, ${same} AS same`,
  );
  if ((counts?.byAddress ?? 0) >= MAX_SUBSCRIPTIONS_PER_ADDRESS_HOUR) {
    return { ok: false, refused: "address_limit" };
  }
  if (counts?.same) return { ok: false, refused: "already_subscribed" };
  return { ok: false, refused: "page_full" };
}

const withToken = (id: string, token: string) =>
  and(eq(statusSubscribersTable.id, id), eq(statusSubscribersTable.token, token));

/** The subscriber these link parameters name (on this page), or null. */
export async function subscriberByLink(
  db: D1Database,
  projectId: string,
  id: string,
  token: string,
): Promise<SubscriberRow | null> {
  const [row] = await drizzle(db)
    .select()
    .from(statusSubscribersTable)
    .where(and(withToken(id, token), eq(statusSubscribersTable.projectId, projectId)));
  return row ?? null;
}

/**
 * Confirms a pending subscriber whose challenge has not lapsed. True when it is (now)
 * active; confirming twice is fine.
 */
export async function confirmSubscriber(
  db: D1Database,
  s: SubscriberRow,
  now = Date.now(),
): Promise<boolean> {
  if (s.status === "active") return true;
  if (s.status !== "pending" || s.createdAt <= now - CHALLENGE_TTL_MS) return false;
  const done = await drizzle(db)
    .update(statusSubscribersTable)
    .set({ status: "active", confirmedAt: now, updatedAt: now })
    .where(and(withToken(s.id, s.token), eq(statusSubscribersTable.status, "pending")))
    .returning({ id: statusSubscribersTable.id });
  return done.length === 1;
}

/** Ends a subscription (idempotent): nothing more is written for it, and queued rows fail. */
export async function unsubscribe(db: D1Database, s: SubscriberRow, now = Date.now()) {
  if (s.status === "unsubscribed") return;
  await drizzle(db)
    .update(statusSubscribersTable)
    .set({ status: "unsubscribed", updatedAt: now })
    .where(withToken(s.id, s.token));
}

/** The confirmed subscribers of a page, for its notifications. */
export const activeSubscribers = (db: D1Database, projectId: string) =>
  drizzle(db)
    .select()
    .from(statusSubscribersTable)
    .where(
      and(
        eq(statusSubscribersTable.projectId, projectId),
        eq(statusSubscribersTable.status, "active"),
      ),
    );

type ChannelRow = typeof channelsTable.$inferSelect;

/**
 * A subscriber as the target of one of its deliveries, in the channel's shape the sender
 * takes: enabled while confirmed, and for its challenge while pending; null if unknown.
 */
export async function subscriberTarget(
  db: D1Database,
  id: string,
  deliveryId: string,
): Promise<ChannelRow | null> {
  if (!id.startsWith("sub_")) return null;
  const [s] = await drizzle(db)
    .select()
    .from(statusSubscribersTable)
    .where(eq(statusSubscribersTable.id, id));
  if (!s) return null;
  const enabled =
    s.status === "active" || (s.status === "pending" && deliveryId === challengeDeliveryId(id));
  return {
    id: s.id,
    projectId: s.projectId,
    type: s.kind,
    name: "status page subscriber",
    url: s.url,
    secret: s.secret,
    enabled,
    disabledReason: enabled ? null : s.status,
    createdAt: s.createdAt,
  };
}

/** A subscriber whose endpoint answered 410 Gone is unsubscribed. */
export async function dropSubscriber(db: D1Database, id: string, now = Date.now()) {
  await drizzle(db)
    .update(statusSubscribersTable)
    .set({ status: "unsubscribed", updatedAt: now })
    .where(eq(statusSubscribersTable.id, id));
}
