// /v1/channels: Slack incoming webhooks and Standard-Webhooks-signed generic webhooks.
// Secrets (webhook URLs, signing secrets) are never returned in full after creation.

import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { maskSecret } from "../alerts/delivery/delivery-policy";
import { sendTestNotification } from "../alerts/delivery/dispatch";
import { generateSecret } from "../alerts/delivery/webhook-sign";
import { CHANNEL_TYPES, channelsTable } from "../db/schema";
import { checkOutboundUrl, OUTBOUND_URL_MAX_LENGTH } from "../net/outbound-url";
import { outboundOptions, publicOrigin } from "../net/public-origin";
import { newRecordId } from "../shared/ids";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { projectOf, requireAuth } from "./auth";
import { ApiError } from "./errors";
import { ProjectQuery } from "./shared-params";
import { validate } from "./validate";

const HttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(OUTBOUND_URL_MAX_LENGTH);

/**
 * Outside local development a channel may only post to https on a public host: never
 * loopback, private or link-local addresses (cloud metadata), local names or this
 * service itself. 400 naming the field otherwise.
 */
function checkTarget(env: Env, url: string): void {
  const checked = checkOutboundUrl(url, outboundOptions(env));
  if (checked.ok) return;
  throw new ApiError("validation_failed", `Invalid request body: url: ${checked.reason}`, {
    issues: [{ path: "url", message: checked.reason }],
  });
}

const CreateChannelSchema = z.strictObject({
  type: z.enum(CHANNEL_TYPES),
  name: z.string().trim().min(1).max(128),
  url: HttpUrl,
  /** Generic webhooks only: a whsec_ secret; generated when absent. */
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "must be whsec_ followed by base64")
    .optional(),
  enabled: z.boolean().default(true),
});

const UpdateChannelSchema = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  url: HttpUrl.optional(),
  enabled: z.boolean().optional(),
});

type ChannelRow = typeof channelsTable.$inferSelect;
export const channelView = (ch: ChannelRow) => ({
  id: ch.id,
  type: ch.type,
  name: ch.name,
  url: maskSecret(ch.url),
  secret: ch.secret ? maskSecret(ch.secret) : null,
  enabled: ch.enabled,
  disabled_reason: ch.disabledReason,
  created_at: ch.createdAt,
});

async function findChannel(db: D1Database, projectId: string, id: string): Promise<ChannelRow> {
  const [row] = await drizzle(db)
    .select()
    .from(channelsTable)
    .where(and(eq(channelsTable.id, id), eq(channelsTable.projectId, projectId)));
  if (!row) throw new ApiError("not_found", `Channel '${id}' not found`);
  return row;
}

export const channels = new Hono<AppEnv>()
  .get("/", requireAuth({ scope: "read" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    const rows = await drizzle(c.env.DB)
      .select()
      .from(channelsTable)
      .where(eq(channelsTable.projectId, projectId));
    return c.json({ channels: rows.map(channelView) });
  })
  .post(
    "/",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    validate("json", CreateChannelSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const body = c.req.valid("json");
      if (body.type === "slack" && body.secret) {
        throw new ApiError("validation_failed", "secret: Slack channels take no signing secret", {
          issues: [{ path: "secret", message: "Slack channels take no signing secret" }],
        });
      }
      checkTarget(c.env, body.url);
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
      await drizzle(c.env.DB).insert(channelsTable).values(row);
      await audit(c, projectId, "channel.create", row.id, null, channelView(row));
      // The signing secret is shown once, so the receiver can verify signatures.
      return c.json({ channel: { ...channelView(row), ...(secret ? { secret } : {}) } }, 201);
    },
  )
  .get("/:id", requireAuth({ scope: "read" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    return c.json({
      channel: channelView(await findChannel(c.env.DB, projectId, c.req.param("id"))),
    });
  })
  .patch(
    "/:id",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    validate("json", UpdateChannelSchema),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const before = await findChannel(c.env.DB, projectId, c.req.param("id"));
      const body = c.req.valid("json");
      if (body.url !== undefined) checkTarget(c.env, body.url);
      const after: ChannelRow = {
        ...before,
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.url === undefined ? {} : { url: body.url }),
        ...(body.enabled === undefined ? {} : { enabled: body.enabled, disabledReason: null }),
      };
      await drizzle(c.env.DB)
        .update(channelsTable)
        .set(after)
        .where(eq(channelsTable.id, before.id));
      await audit(
        c,
        projectId,
        "channel.update",
        before.id,
        channelView(before),
        channelView(after),
      );
      return c.json({ channel: channelView(after) });
    },
  )
  .delete("/:id", requireAuth({ scope: "admin" }), validate("query", ProjectQuery), async (c) => {
    const projectId = projectOf(c, c.req.valid("query").project);
    const before = await findChannel(c.env.DB, projectId, c.req.param("id"));
    await drizzle(c.env.DB).delete(channelsTable).where(eq(channelsTable.id, before.id));
    await audit(c, projectId, "channel.delete", before.id, channelView(before), null);
    return c.json({ deleted: before.id });
  })
  .post(
    "/:id/test",
    requireAuth({ scope: "admin" }),
    validate("query", ProjectQuery),
    async (c) => {
      const projectId = projectOf(c, c.req.valid("query").project);
      const channel = await findChannel(c.env.DB, projectId, c.req.param("id"));
      const deliveryId = await sendTestNotification(c.env, channel, publicOrigin(c.env));
      return c.json({ delivery_id: deliveryId, status: "queued" }, 202);
    },
  );
