// What people do to notification channels: create, change, delete, send a test. The API
// routes (/v1/channels) and the dashboard's settings forms both call these, so the two
// cannot disagree. Each change and its audit entry are one D1 batch. A URL is checked by
// the one outbound rule (src/net/outbound-url.ts); a refused field is a FieldProblem the
// caller shows (the API as a 400 naming the path, the dashboard beside the field).
import { and, eq, exists } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert, auditInsertIf } from "../../audit/audit-entry";
import { channelsTable } from "../../db/schema";
import { checkOutboundUrl } from "../../net/outbound-url";
import { outboundOptions } from "../../net/public-origin";
import { newRecordId } from "../../shared/ids";
import { OperationError } from "../../shared/operation-error";
import type { CreateChannel, UpdateChannel } from "./channel-schema";
import { maskSecret } from "./delivery-policy";
import { sendTestNotification } from "./dispatch";
import { generateSecret } from "./webhook-sign";

export type ChannelRow = typeof channelsTable.$inferSelect;

/** Who acts on which project's channels. */
export interface ChannelActor {
  env: Env;
  who: Actor;
  projectId: string;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** The channel as shown after creation: URL and signing secret masked. */
export const maskedChannel = (row: ChannelRow) => ({
  ...row,
  url: maskSecret(row.url),
  secret: row.secret ? maskSecret(row.secret) : null,
});

/** The audit entries' view of a channel (masked, in the API's field names). */
const auditView = (row: ChannelRow) => {
  const m = maskedChannel(row);
  return {
    id: m.id,
    type: m.type,
    name: m.name,
    url: m.url,
    secret: m.secret,
    enabled: m.enabled,
    disabled_reason: m.disabledReason,
    created_at: m.createdAt,
  };
};

/** A URL refused by the outbound rule (private host, not https outside development…). */
export function urlProblem(env: Env, url: string | undefined): FieldProblem | null {
  if (url === undefined) return null;
  const checked = checkOutboundUrl(url, outboundOptions(env));
  return checked.ok ? null : { path: "url", message: checked.reason };
}

/** Field problems schemas cannot see: the Slack-secret rule and the outbound URL rule. */
export function createProblems(env: Env, input: CreateChannel): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (input.type === "slack" && input.secret) {
    out.push({ path: "secret", message: "Slack channels take no signing secret" });
  }
  const url = urlProblem(env, input.url);
  if (url) out.push(url);
  return out;
}

export async function listChannels(db: D1Database, projectId: string): Promise<ChannelRow[]> {
  return drizzle(db).select().from(channelsTable).where(eq(channelsTable.projectId, projectId));
}

export async function findChannel(db: D1Database, projectId: string, id: string) {
  const [row] = await drizzle(db)
    .select()
    .from(channelsTable)
    .where(and(eq(channelsTable.id, id), eq(channelsTable.projectId, projectId)));
  if (!row) throw new OperationError("not_found", `Channel '${id}' not found`);
  return row;
}

/** Creates a channel (input already free of createProblems); the row has its full secret. */
export async function createChannel(by: ChannelActor, input: CreateChannel): Promise<ChannelRow> {
  const row: ChannelRow = {
    id: newRecordId("ch"),
    projectId: by.projectId,
    type: input.type,
    name: input.name,
    url: input.url,
    secret: input.type === "webhook" ? (input.secret ?? generateSecret()) : null,
    enabled: input.enabled,
    disabledReason: null,
    createdAt: Date.now(),
  };
  const db = drizzle(by.env.DB);
  await db.batch([
    db.insert(channelsTable).values(row),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "channel.create",
      target: row.id,
      before: null,
      after: auditView(row),
    }),
  ]);
  return row;
}

/** A short fingerprint of a channel's editable state, for "changed meanwhile" checks. */
export async function channelVersion(row: ChannelRow): Promise<string> {
  const text = JSON.stringify([row.name, row.url, row.enabled, row.disabledReason]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * Changes a channel. With `expectedVersion` (the dashboard's form carries the version it
 * showed), a channel changed since is a conflict; the write itself is guarded by the row
 * as read, so two concurrent changes cannot both land.
 */
export async function updateChannel(
  by: ChannelActor,
  id: string,
  patch: UpdateChannel,
  expectedVersion?: string,
): Promise<ChannelRow> {
  const before = await findChannel(by.env.DB, by.projectId, id);
  if (expectedVersion !== undefined && expectedVersion !== (await channelVersion(before))) {
    throw new OperationError(
      "conflict",
      `Channel '${before.name}' was changed by someone else since you opened it; reload to see the change`,
    );
  }
  const after: ChannelRow = {
    ...before,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.url === undefined ? {} : { url: patch.url }),
    ...(patch.enabled === undefined ? {} : { enabled: patch.enabled, disabledReason: null }),
  };
  const db = drizzle(by.env.DB);
  const asRead = and(
    eq(channelsTable.id, before.id),
    eq(channelsTable.name, before.name),
    eq(channelsTable.url, before.url),
    eq(channelsTable.enabled, before.enabled),
  );
  const unchanged = exists(db.select({ id: channelsTable.id }).from(channelsTable).where(asRead));
  const [, updated] = await db.batch([
    auditInsertIf(by.env.DB, by.who, unchanged, {
      projectId: by.projectId,
      action: "channel.update",
      target: before.id,
      before: auditView(before),
      after: auditView(after),
    }),
    db.update(channelsTable).set(after).where(asRead).returning({ id: channelsTable.id }),
  ]);
  if (updated.length === 0) {
    throw new OperationError("conflict", "The channel changed meanwhile; reload and try again");
  }
  return after;
}

export async function deleteChannel(by: ChannelActor, id: string): Promise<ChannelRow> {
  const before = await findChannel(by.env.DB, by.projectId, id);
  const db = drizzle(by.env.DB);
  await db.batch([
    db.delete(channelsTable).where(eq(channelsTable.id, before.id)),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "channel.delete",
      target: before.id,
      before: auditView(before),
      after: null,
    }),
  ]);
  return before;
}

/** Queues a test notification through the channel, like a real alert; its delivery id. */
export async function testChannel(
  env: Env,
  projectId: string,
  id: string,
  origin: string,
): Promise<string> {
  const channel = await findChannel(env.DB, projectId, id);
  return sendTestNotification(env, channel, origin);
}
