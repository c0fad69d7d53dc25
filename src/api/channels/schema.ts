// /v1/channels request and response schemas. Secrets (webhook URLs, signing secrets) appear
// masked in every response but the one that creates the channel.
import { CHANNEL_TYPES } from "../../db/schema";
import { IdSchema } from "../../http/shared-params";
import { OUTBOUND_URL_MAX_LENGTH } from "../../net/outbound-url";
import { z } from "../../zod";

const HttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(OUTBOUND_URL_MAX_LENGTH);

const NameSchema = z.string().trim().min(1).max(128);

export const CreateChannelSchema = z.strictObject({
  type: z.enum(CHANNEL_TYPES),
  name: NameSchema,
  url: HttpUrl.meta({ description: "Slack incoming webhook URL, or the webhook's endpoint" }),
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "must be whsec_ followed by base64")
    .optional()
    .meta({ description: "Generic webhooks only: the signing secret; generated when absent" }),
  enabled: z.boolean().default(true),
});

export const UpdateChannelSchema = z.strictObject({
  name: NameSchema.optional(),
  url: HttpUrl.optional(),
  enabled: z.boolean().optional().meta({ description: "true also clears `disabled_reason`" }),
});

export const ChannelSchema = z
  .object({
    id: z.string(),
    type: z.enum(CHANNEL_TYPES),
    name: z.string(),
    url: z.string().meta({ description: "Masked: only its origin and last characters show" }),
    secret: z.string().nullable().meta({
      description: "Webhooks: the whsec_ signing secret, in full only in the create response",
    }),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().meta({
      description: "Why delivery switched the channel off (e.g. the endpoint answered 410)",
    }),
    created_at: z.number().int().meta({ description: "Epoch milliseconds" }),
  })
  .meta({ id: "Channel" });

export const ChannelBody = z.object({ channel: ChannelSchema });

export const ChannelParams = z.object({ id: IdSchema.meta({ description: "Channel id" }) });
