// A project as the API answers it and the audit log records it: the view the project
// settings operation (project-actions.ts) writes before and after, shared by /v1/projects
// and the dashboard's status page settings.
import type { projectsTable } from "../db/schema";
import { PriceOverridesSchema } from "../ingest/prices";
import { StatusPageSettingsSchema } from "../projects/status-page-settings";
import { z } from "../zod";
import { fromRow } from "./openapi/from-row";

export type ProjectRow = typeof projectsTable.$inferSelect;

export const ProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    retention_days: z.number().int(),
    rollup_retention_days: z.number().int(),
    price_overrides: PriceOverridesSchema,
    status_page: StatusPageSettingsSchema.nullable(),
    drop_pii_tags: z.boolean(),
    keep_examples: z.boolean(),
    time_zone: z.string(),
    verdict_margins: z.record(z.string(), z.number()).nullable(),
    created_at: z.number().int().meta({ description: "Epoch milliseconds" }),
  })
  .meta({ id: "Project" });

export const toProject = (row: ProjectRow) =>
  fromRow(ProjectSchema, { ...row, priceOverrides: row.priceOverrides ?? {} });
