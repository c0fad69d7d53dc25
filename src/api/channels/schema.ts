// /v1/channels request and response schemas. Secrets (webhook URLs, signing secrets) appear
// masked in every response but the one that creates the channel.
import { CHANNEL_TYPES } from "../../db/schema";
import { IdSchema } from "../../http/shared-params";
import { z } from "../../zod";

// The input schemas live with the channel operations, which the dashboard's forms call too.
export { CreateChannelSchema, UpdateChannelSchema } from "../../alerts/delivery/channel-schema";

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
