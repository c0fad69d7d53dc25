// A baseline capture's request: a time range {from, to} (epoch ms) or a release filter, not
// both; the API's POST body and the dashboard's capture form are both checked by it.
import { HOUR_RETENTION_MS } from "../../monitor/retention-horizons";
import { z } from "../../zod";

const label = z.string().min(1).max(128);
const ReleaseFilterSchema = z
  .strictObject({
    model: label.optional(),
    provider: label.optional(),
    prompt_version: label.optional(),
    release: label.optional(),
  })
  .refine(
    (r) => Object.keys(r).length > 0,
    "name at least one of model, provider, prompt_version, release",
  );

/** POST body: a time range `{from, to}` (epoch ms) or a `release`, not both. */
export const CaptureSchema = z
  .strictObject({
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    release: ReleaseFilterSchema.optional(),
    label: z.string().trim().min(1).max(128).optional(),
    activate: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    if (b.release) {
      if (b.from !== undefined || b.to !== undefined)
        issue("release", "give either a range (from, to) or a release, not both");
      return;
    }
    if (b.from === undefined) return issue("from", "required (epoch ms), or give a release");
    if (b.to === undefined) return issue("to", "required (epoch ms)");
    if (b.to <= b.from) issue("to", "must be after from");
    if (b.from < Date.now() - HOUR_RETENTION_MS)
      issue("from", "must be within the last 35 days (older buckets are not kept)");
  });
export type CaptureRequest = z.output<typeof CaptureSchema>;
export type ReleaseFilter = z.output<typeof ReleaseFilterSchema>;
