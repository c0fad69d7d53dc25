// Written incident updates as the API shows them, and the body that shows or hides an
// incident; what people submit (status and text, with its rules) is alerts/incidents/update-text.ts.
import { INCIDENT_UPDATE_STATUSES } from "../../db/schema";
import { z } from "../../zod";

export const IncidentUpdateSchema = z
  .object({
    id: z.string(),
    incident_id: z.string(),
    status: z.enum(INCIDENT_UPDATE_STATUSES),
    text: z.string(),
    author: z.string().meta({ description: '"root" or "key:<id>"' }),
    created_at: z.number().int().meta({ description: "Epoch ms" }),
  })
  .meta({ id: "IncidentUpdate" });

export const IncidentVisibilitySchema = z
  .strictObject({
    public: z.boolean().meta({ description: "Shown on the public status page (default true)" }),
  })
  .meta({ id: "IncidentVisibility" });
