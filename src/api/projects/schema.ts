// /v1/projects request and response schemas: projects, their API keys, deletions.
import { KEY_SCOPES } from "../../db/schema";
import { canonicalOrigin } from "../../http/key-limits";
import { SLUG_PATTERN } from "../../ingest/field-bounds";
import { PriceOverridesSchema } from "../../ingest/prices";
import { StatusPageSettingsSchema } from "../../projects/status-page-settings";
import { isTimeZone } from "../../spend/period";
import { z } from "../../zod";

/** `environment/slug`, or a bare slug meaning `production/slug`. */
const AllowedDeploymentSchema = z.string().refine(
  (entry) => {
    const parts = entry.split("/");
    return parts.length <= 2 && parts.every((part) => SLUG_PATTERN.test(part));
  },
  { message: "must be environment/slug (e.g. production/bot), or a slug meaning production/slug" },
);

import { IdSchema, ProjectIdParams } from "../../http/shared-params";

const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, { message: "must be an IANA time zone such as UTC or Europe/Berlin" })
  .meta({ description: "IANA time zone in which budget days and months begin" });

export const CreateProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  retention_days: z.number().int().min(1).max(400).default(30),
  // At least 90: the status page draws 90 daily bars from 1-hour rollups.
  rollup_retention_days: z.number().int().min(90).max(1825).default(400),
  price_overrides: PriceOverridesSchema.optional().meta({
    description: "USD per million tokens by model, overriding the built-in price table",
  }),
  time_zone: TimeZoneSchema.default("UTC"),
});

export const PatchProjectSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).optional(),
    status_page: StatusPageSettingsSchema.nullable().optional().meta({
      description:
        "null removes the page (and frees its slug); `enabled: false` keeps it but serves 404",
    }),
    drop_pii_tags: z.boolean().optional().meta({
      description: "Drop tag values that look like personal data at ingest",
    }),
    time_zone: TimeZoneSchema.optional(),
    price_overrides: PriceOverridesSchema.optional().meta({
      description: "Replaces the project's price overrides ({} removes them)",
    }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message:
      "nothing to change: give name, status_page, drop_pii_tags, time_zone or price_overrides",
  });

export const ProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    retention_days: z.number().int(),
    rollup_retention_days: z.number().int(),
    price_overrides: PriceOverridesSchema,
    status_page: StatusPageSettingsSchema.nullable(),
    drop_pii_tags: z.boolean(),
    time_zone: z.string(),
    created_at: z.number().int().meta({ description: "Epoch milliseconds" }),
  })
  .meta({ id: "Project" });

export const ProjectBody = z.object({ project: ProjectSchema });

export const DeletionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["project", "deployment"]),
    project_id: z.string(),
    deployment_id: z.string().nullable(),
    status: z.literal("deleting"),
    requested_at: z.number().int(),
  })
  .meta({
    id: "Deletion",
    description: "Data is removed in the background; asking again answers the same deletion",
  });

/** Epoch ms in the future (checked against the clock when the request is handled). */
const ExpiresAtSchema = z
  .number()
  .int()
  .refine((at) => at > Date.now(), { message: "must be in the future (epoch milliseconds)" });

const OriginSchema = z.string().refine((o) => canonicalOrigin(o) !== null, {
  message: "must be an origin such as https://app.example.com (scheme, host, optional port)",
});

export const CreateKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).default("default"),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(3),
    expires_at: ExpiresAtSchema.optional().meta({ description: "Epoch ms; absent: never" }),
    allowed_origins: z.array(OriginSchema).min(1).max(32).optional().meta({
      description: "Ingest-only keys: browser origins allowed to send with it",
    }),
    allowed_deployments: z
      .array(AllowedDeploymentSchema)
      .min(1)
      .max(100)
      .optional()
      .meta({
        description:
          "Ingest-only keys: the deployments it may send events for, as environment/slug " +
          "(a bare slug means production/slug). Such a key creates only these deployments",
      }),
  })
  .superRefine((body, ctx) => {
    // Origins and deployments limit what an ingest key sends; on a read or admin key they
    // would look like protection while guarding nothing.
    const ingestOnly = body.scopes.every((scope) => scope === "ingest");
    for (const field of ["allowed_origins", "allowed_deployments"] as const) {
      if (body[field] && !ingestOnly) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "only an ingest-only key (scopes: ['ingest']) may be restricted",
        });
      }
    }
  });

export const RotateKeySchema = z.strictObject({
  expires_at: ExpiresAtSchema.optional().meta({
    description: "The new key's expiry; absent: never",
  }),
  old_key_expires_at: ExpiresAtSchema.optional().meta({
    description: "When the old key stops working; absent: when it is revoked (or its own expiry)",
  }),
});

export const KeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The secret's first 12 characters, to recognise it" }),
    scopes: z.array(z.enum(KEY_SCOPES)),
    created_at: z.number().int(),
    revoked_at: z.number().int().nullable(),
    expires_at: z.number().int().nullable(),
    last_used_at: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Updated at most once a minute" }),
    allowed_origins: z.array(z.string()).nullable(),
    allowed_deployments: z
      .array(z.string())
      .nullable()
      .meta({ description: "As environment/slug; null: any (within the key's share)" }),
  })
  .meta({ id: "ApiKey" });

export const NewKeySchema = KeySchema.extend({
  secret: z.string().meta({ description: "Shown in this response only; stored as a hash" }),
}).meta({ id: "NewApiKey" });

export const KeyParams = ProjectIdParams.extend({
  keyId: IdSchema.meta({ description: "Key id" }),
});
