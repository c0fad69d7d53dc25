// Request parts several routers share: the root token's `?project=`, the
// `:env/:slug` deployment path and ids in paths (scope-middleware.ts resolves them).
import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";

/** Project, key and other resource ids in paths: `prj_…`, `key_…` (newRecordId), at most 64 characters. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.-]{1,64}$/, "must be an id such as prj_3Jx9… (letters, digits, _ - : .)");

export const ProjectIdParams = z.object({ id: IdSchema.meta({ description: "Project id" }) });

/** Only the root token uses it: which project to act on. */
export const ProjectQuery = z.strictObject({
  project: IdSchema.optional().meta({
    description: "Root token only: the project to act on (a key acts on its own project)",
  }),
});

export const DeploymentParams = z.object({
  env: SlugSchema.meta({ description: "Environment, e.g. production" }),
  slug: SlugSchema.meta({ description: "Deployment slug" }),
});
