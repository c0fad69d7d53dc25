// /v1/channels: Slack incoming webhooks and Standard-Webhooks-signed generic webhooks. Each
// change and its audit entry are one D1 batch; secrets are never returned in full after creation.
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { maskSecret } from "../../alerts/delivery/delivery-policy";
import { sendTestNotification } from "../../alerts/delivery/dispatch";
import { generateSecret } from "../../alerts/delivery/webhook-sign";
import { channelsTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { checkOutboundTarget } from "../../http/outbound-target";
import { ProjectQuery } from "../../http/shared-params";
import { publicOrigin } from "../../net/public-origin";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import {
  ChannelBody,
  ChannelParams,
  ChannelSchema,
  CreateChannelSchema,
  UpdateChannelSchema,
} from "./schema";

type ChannelRow = typeof channelsTable.$inferSelect;

/** The channel as every response shows it: URL and signing secret masked. */
const toChannel = (row: ChannelRow) =>
  fromRow(ChannelSchema, {
    ...row,
    url: maskSecret(row.url),
    secret: row.secret ? maskSecret(row.secret) : null,
  });

async function findChannel(c: Context<ProjectEnv>, id: string): Promise<ChannelRow> {
  const [row] = await drizzle(c.env.DB)
    .select()
    .from(channelsTable)
    .where(and(eq(channelsTable.id, id), eq(channelsTable.projectId, c.var.projectId)));
  if (!row) throw new ApiError("not_found", `Channel '${id}' not found`);
  return row;
}

const tags = ["Channels"];

const listChannels = apiRoute({
  method: "get",
  path: "/",
  access: "read",
  tags,
  summary: "List the project's notification channels (secrets masked)",
  request: { query: ProjectQuery },
  responses: {
    200: {
      description: "The channels",
      content: json(z.object({ channels: z.array(ChannelSchema) })),
    },
  },
});

const createChannel = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  tags,
  summary: "Create a Slack or generic webhook channel",
  description:
    "Outside local development the URL must be https on a public host. A webhook's signing " +
    "secret is in this response only, so the receiver can verify signatures.",
  request: { query: ProjectQuery, body: { content: json(CreateChannelSchema) } },
  responses: { 201: { description: "The channel", content: json(ChannelBody) } },
});

const getChannel = apiRoute({
  method: "get",
  path: "/{id}",
  access: "read",
  errors: [404],
  tags,
  summary: "Get a channel (secrets masked)",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: { 200: { description: "The channel", content: json(ChannelBody) } },
});

const updateChannel = apiRoute({
  method: "patch",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Rename, re-point, enable or disable a channel",
  request: {
    params: ChannelParams,
    query: ProjectQuery,
    body: { content: json(UpdateChannelSchema) },
  },
  responses: { 200: { description: "The channel as it now is", content: json(ChannelBody) } },
});

const deleteChannel = apiRoute({
  method: "delete",
  path: "/{id}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Delete a channel",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: {
    200: {
      description: "The deleted channel's id",
      content: json(z.object({ deleted: z.string() })),
    },
  },
});

const testChannel = apiRoute({
  method: "post",
  path: "/{id}/test",
  access: "admin",
  errors: [404],
  tags,
  summary: "Send a test notification through the channel",
  description: "Queued like a real alert (retries, backoff, dead-letter): follow it by its id.",
  request: { params: ChannelParams, query: ProjectQuery },
  responses: {
    202: {
      description: "The delivery, queued",
      content: json(z.object({ delivery_id: z.string(), status: z.literal("queued") })),
    },
  },
});

export const channels = projectRouter()
  .openapi(listChannels, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(channelsTable)
      .where(eq(channelsTable.projectId, c.var.projectId));
    return c.json({ channels: rows.map(toChannel) }, 200);
  })
  .openapi(createChannel, async (c) => {
    const projectId = c.var.projectId;
    const body = c.req.valid("json");
    if (body.type === "slack" && body.secret) {
      throw new ApiError("validation_failed", "secret: Slack channels take no signing secret", {
        issues: [{ path: "secret", message: "Slack channels take no signing secret" }],
      });
    }
    checkOutboundTarget(c.env, body.url);
    const secret = body.type === "webhook" ? (body.secret ?? generateSecret()) : null;
    const row: ChannelRow = {
      id: newRecordId("ch"),
      projectId,
      type: body.type,
      name: body.name,
      url: body.url,
      secret,
      enabled: body.enabled,
      disabledReason: null,
      createdAt: Date.now(),
    };
    const channel = toChannel(row);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.insert(channelsTable).values(row),
      auditEntry(c, projectId, "channel.create", row.id, null, channel),
    ]);
    // The signing secret is shown once, so the receiver can verify signatures.
    return c.json({ channel: { ...channel, secret } }, 201);
  })
  .openapi(getChannel, async (c) => {
    return c.json({ channel: toChannel(await findChannel(c, c.req.valid("param").id)) }, 200);
  })
  .openapi(updateChannel, async (c) => {
    const before = await findChannel(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    if (body.url !== undefined) checkOutboundTarget(c.env, body.url);
    const after: ChannelRow = {
      ...before,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.url === undefined ? {} : { url: body.url }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled, disabledReason: null }),
    };
    const channel = toChannel(after);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.update(channelsTable).set(after).where(eq(channelsTable.id, before.id)),
      auditEntry(c, before.projectId, "channel.update", before.id, toChannel(before), channel),
    ]);
    return c.json({ channel }, 200);
  })
  .openapi(deleteChannel, async (c) => {
    const before = await findChannel(c, c.req.valid("param").id);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.delete(channelsTable).where(eq(channelsTable.id, before.id)),
      auditEntry(c, before.projectId, "channel.delete", before.id, toChannel(before), null),
    ]);
    return c.json({ deleted: before.id }, 200);
  })
  .openapi(testChannel, async (c) => {
    const channel = await findChannel(c, c.req.valid("param").id);
    const deliveryId = await sendTestNotification(c.env, channel, publicOrigin(c.env));
    return c.json({ delivery_id: deliveryId, status: "queued" as const }, 202);
  });
