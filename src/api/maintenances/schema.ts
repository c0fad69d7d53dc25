// Maintenance windows as the API shows them; what people submit (and its rules) is
// alerts/maintenance/maintenance-window.ts.
import { MaintenanceTargetSchema } from "../../alerts/maintenance/maintenance-window";
import { IdSchema } from "../../http/shared-params";
import { z } from "../../zod";

export const MaintenanceParams = z.object({
  id: IdSchema.meta({ description: "Maintenance window id" }),
});

const Ms = (description: string) => z.number().int().meta({ description });

export const MaintenanceSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    text: z.string(),
    starts_at: Ms("Epoch ms"),
    ends_at: Ms("Epoch ms (exclusive)"),
    deployments: z.array(MaintenanceTargetSchema),
    status: z.enum(["scheduled", "in_progress", "completed"]).meta({
      description: "By time: before, during or after the window",
    }),
    created_at: Ms("Epoch ms"),
    updated_at: Ms("Epoch ms"),
  })
  .meta({ id: "Maintenance" });

export const MaintenanceBody = z.object({ maintenance: MaintenanceSchema });
