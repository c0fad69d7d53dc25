// /v1/projects request and response schemas: projects, their API keys, deletions.

import { IdSchema, ProjectIdParams } from "../../http/shared-params";
import { PriceOverridesSchema } from "../../ingest/prices";
import { StatusPageSettingsSchema } from "../../projects/status-page-settings";
import { isTimeZone } from "../../spend/period";
import { z } from "../../zod";
import { VerdictMarginsSchema } from "../verdicts/margins";

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
    keep_examples: z.boolean().optional().meta({
      description:
        "Keep example events per outcome and hour (10 of all, 5 per segment value; ids and non-text fields) for incidents; false stops and deletes them (docs/api.md)",
    }),
    time_zone: TimeZoneSchema.optional(),
    verdict_margins: VerdictMarginsSchema.nullable().optional().meta({
      description:
        "Per-signal release verdict margins replacing the defaults; a release's own margins win; null: defaults",
    }),
    price_overrides: PriceOverridesSchema.optional().meta({
      description: "Replaces the project's price overrides ({} removes them)",
    }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message:
      "nothing to change: give name, status_page, drop_pii_tags, keep_examples, time_zone, verdict_margins or price_overrides",
  });

// The project's view lives beside the settings operation (http/project-schema.ts).
export { ProjectSchema } from "../../http/project-schema";

import { ProjectSchema } from "../../http/project-schema";

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

// The key schemas live beside the key operations (http/key-schema.ts); named here for the routes.
export {
  CreateKeySchema,
  KeySchema,
  NewKeySchema,
  RotateKeySchema,
} from "../../http/key-schema";

export const KeyParams = ProjectIdParams.extend({
  keyId: IdSchema.meta({ description: "Key id" }),
});
