// The `status_page` project setting: whether the public page is on, its address and
// title, and which deployments it shows under which names.

import { SlugSchema } from "../ingest/event-schema";
import { z } from "../zod";

/** Page addresses: lower-case words joined by dashes, not a reserved sibling name. */
export const PageSlugSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
  message: "lower-case letters, digits and dashes (1-64), starting and ending alphanumeric",
});

/** Components with the same group name are shown together under it, e.g. "Assistants". */
const GroupNameSchema = z.string().trim().min(1).max(60);

export const StatusPageDeploymentSchema = z.strictObject({
  environment: SlugSchema.default("production"),
  slug: SlugSchema,
  /** What visitors read instead of the slug, e.g. "Support assistant". */
  name: z.string().trim().min(1).max(80),
  group: GroupNameSchema.optional(),
});

/** A probe shown as its own component: its runs give daily bars and a share of correct answers. */
export const StatusPageProbeSchema = z.strictObject({
  id: z.string().min(1).max(64),
  /** What visitors read, e.g. "Answers to known questions". */
  name: z.string().trim().min(1).max(80),
  group: GroupNameSchema.optional(),
});

export const StatusPageSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    slug: PageSlugSchema,
    title: z.string().trim().min(1).max(120),
    description: z.string().trim().max(500).optional(),
    deployments: z.array(StatusPageDeploymentSchema).max(50).default([]),
    /** Probes of the project shown below the deployments (another project's read as no data). */
    probes: z.array(StatusPageProbeSchema).max(10).optional(),
    /**
     * Whether incidents name the release that preceded them ("prompt v13 → v14"). Release
     * labels come from clients, browsers among them, so the public page says only which
     * fields changed ("after a prompt change") unless the project turns this on.
     */
    show_release_labels: z.boolean().default(false),
  })
  .superRefine((page, ctx) => {
    const seen = new Set<string>();
    for (const [i, d] of page.deployments.entries()) {
      const key = `${d.environment}/${d.slug}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["deployments", i, "slug"],
          message: `deployment '${key}' is listed twice`,
        });
      }
      seen.add(key);
    }
    for (const [i, p] of (page.probes ?? []).entries()) {
      if ((page.probes ?? []).findIndex((q) => q.id === p.id) < i) {
        ctx.addIssue({
          code: "custom",
          path: ["probes", i, "id"],
          message: `probe '${p.id}' is listed twice`,
        });
      }
    }
  });

export type StatusPageSettings = z.infer<typeof StatusPageSettingsSchema>;
export type StatusPageDeployment = z.infer<typeof StatusPageDeploymentSchema>;
