// POST /v1/releases (admin): a deploy pipeline announces a release before its traffic, and
// gets the verdict id its gate polls (GET …/verdicts/{id}?wait=, docs/verdicts.md).
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { announceRelease } from "../../alerts/verdicts/announce";
import { deploymentsTable } from "../../db/schema";
import { auditEntry } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { projectRouter } from "../../http/openapi/router";
import { ProjectQuery } from "../../http/shared-params";
import { SlugSchema } from "../../ingest/event-schema";
import { MAX_LABEL_CHARS } from "../../ingest/field-bounds";
import { z } from "../../zod";
import { VerdictMarginsSchema } from "../verdicts/margins";
import { toVerdict, VerdictSchema } from "../verdicts/schema";

const label = z.string().min(1).max(MAX_LABEL_CHARS);

const AnnounceSchema = z
  .object({
    environment: SlugSchema,
    deployment: SlugSchema.meta({ description: "The deployment's slug" }),
    model: label.optional(),
    provider: label.optional(),
    prompt_version: label.optional(),
    release: label.optional(),
    git_sha: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/, "must be 7-64 lower-case hex digits")
      .optional(),
    planned_share: z.number().gt(0).max(1).optional().meta({
      description: "The share of traffic the rollout plans for the release (0-1]",
    }),
    margins: VerdictMarginsSchema.optional().meta({
      description: "Per-signal minimum effects of interest replacing the defaults",
    }),
  })
  .strict()
  .refine(
    (a) => a.model || a.provider || a.prompt_version || a.release,
    "name the release: at least one of model, provider, prompt_version, release",
  )
  .meta({ id: "ReleaseAnnouncement" });

const announce = apiRoute({
  method: "post",
  path: "/",
  access: "admin",
  errors: [404, 409],
  tags: ["Release verdicts"],
  summary: "Announce a release before its traffic arrives; answers its pending verdict",
  description:
    "The labels are those the release's events will carry (an unset label is the empty one). " +
    "Pending verdicts of other releases of the deployment end superseded; the same release " +
    "announced again while pending answers 409 with its verdict's id.",
  request: { query: ProjectQuery, body: { content: json(AnnounceSchema) } },
  responses: {
    201: {
      description: "The pending verdict",
      content: json(
        z.object({
          verdict: VerdictSchema,
          superseded: z.array(z.string()).meta({ description: "Verdict ids ended by this one" }),
        }),
      ),
    },
  },
});

/** POST /v1/releases. */
export const releases = projectRouter().openapi(announce, async (c) => {
  const body = c.req.valid("json");
  const projectId = c.var.projectId;
  const d = await drizzle(c.env.DB)
    .select({ id: deploymentsTable.id })
    .from(deploymentsTable)
    .where(
      and(
        eq(deploymentsTable.projectId, projectId),
        eq(deploymentsTable.environment, body.environment),
        eq(deploymentsTable.slug, body.deployment),
      ),
    )
    .get();
  if (!d) {
    throw new ApiError(
      "not_found",
      `No deployment '${body.deployment}' in environment '${body.environment}'`,
    );
  }
  const candidate = {
    model: body.model ?? "",
    provider: body.provider ?? "",
    prompt_version: body.prompt_version ?? "",
    release: body.release ?? "",
  };
  const result = await announceRelease(
    c.env.DB,
    d.id,
    {
      candidate,
      gitSha: body.git_sha ?? null,
      plannedShare: body.planned_share ?? null,
      margins: body.margins ?? null,
    },
    Date.now(),
  );
  if (!result.ok) {
    throw new ApiError(
      "conflict",
      `this release is already announced and pending: verdict ${result.existing.id}`,
    );
  }
  await auditEntry(c, projectId, "release.announce", result.verdict.id, null, body);
  return c.json({ verdict: toVerdict(result.verdict), superseded: result.superseded }, 201);
});
