// What people send to create or change a notification channel, shared by the API
// (/v1/channels) and the dashboard's settings forms, so the two check alike.
import { CHANNEL_TYPES } from "../../db/schema";
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
export type CreateChannel = z.output<typeof CreateChannelSchema>;

export const UpdateChannelSchema = z.strictObject({
  name: NameSchema.optional(),
  url: HttpUrl.optional(),
  enabled: z.boolean().optional().meta({ description: "true also clears `disabled_reason`" }),
});
export type UpdateChannel = z.output<typeof UpdateChannelSchema>;
