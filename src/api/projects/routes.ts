// /v1/projects: create and delete projects (root only), read and change their settings (name,
// public status page, PII tag switch, example events) and rotate their identifier-hash secret.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { projectsTable } from "../../db/schema";
import { auditEntry, whoOf } from "../../http/audit";
import { authenticated } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { apiRoute, json } from "../../http/openapi/route";
import { newRouter, projectPathRouter } from "../../http/openapi/router";
import { findProject, SlugTakenError, updateProject } from "../../http/project-actions";
import { toProject } from "../../http/project-schema";
import { ProjectIdParams } from "../../http/shared-params";
import { newHashSecret } from "../../privacy/identifier-hash";
import { forgetProjectPrivacy } from "../../privacy/project-privacy";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import { requestDeletion } from "../deletions/routes";
import { CreateProjectSchema, DeletionSchema, PatchProjectSchema, ProjectBody } from "./schema";

type ProjectRow = typeof projectsTable.$inferSelect;

const slugTaken = (slug: string) =>
  new ApiError("conflict", `Status page slug '${slug}' is taken`, {
    issues: [{ path: "status_page.slug", message: `'${slug}' is used by another project` }],
  });

const tags = ["Projects"];

const createProject = apiRoute({
  method: "post",
  path: "/",
  access: "root",
  tags,
  summary: "Create a project",
  request: { body: { content: json(CreateProjectSchema) } },
  responses: { 201: { description: "The new project", content: json(ProjectBody) } },
});

/** POST /v1/projects (root only). */
const creation = newRouter();
creation.use(authenticated());
export const projects = creation.openapi(createProject, async (c) => {
  const body = c.req.valid("json");
  const row: ProjectRow = {
    id: newRecordId("prj"),
    name: body.name,
    retentionDays: body.retention_days,
    rollupRetentionDays: body.rollup_retention_days,
    priceOverrides: body.price_overrides ?? null,
    statusSlug: null,
    statusPage: null,
    hashSecret: newHashSecret(),
    dropPiiTags: false,
    keepExamples: false,
    timeZone: body.time_zone,
    verdictMargins: null,
    createdAt: Date.now(),
  };
  const db = drizzle(c.env.DB);
  const project = toProject(row);
  await db.batch([
    db.insert(projectsTable).values(row),
    auditEntry(c, row.id, "project.create", row.id, null, project),
  ]);
  return c.json({ project }, 201);
});

const params = ProjectIdParams;

const getProject = apiRoute({
  method: "get",
  path: "/",
  access: "admin",
  errors: [404],
  tags,
  summary: "Read a project's settings",
  request: { params },
  responses: { 200: { description: "The project", content: json(ProjectBody) } },
});

const patchProject = apiRoute({
  method: "patch",
  path: "/",
  access: "admin",
  errors: [404, 409],
  tags,
  summary:
    "Change a project's name, status page, PII tag switch, example events, time zone or price overrides",
  request: { params, body: { content: json(PatchProjectSchema) } },
  responses: { 200: { description: "The project as changed", content: json(ProjectBody) } },
});

const deleteProject = apiRoute({
  method: "delete",
  path: "/",
  access: "root",
  errors: [404],
  tags,
  summary: "Delete a project and all its data (in the background)",
  request: { params },
  responses: {
    202: {
      description: "Deletion started: keys stop working now, data goes within minutes",
      content: json(z.object({ deletion: DeletionSchema })),
    },
  },
});

const rotateHashSecret = apiRoute({
  method: "post",
  path: "/hash-secret/rotate",
  access: "admin",
  errors: [404],
  tags,
  summary: "Rotate the secret that hashes user and session identifiers",
  description:
    "Hashes stored from now on no longer match older ones (a returning user counts as new): " +
    "the point when the old secret may have leaked. The secret is never returned.",
  request: { params },
  responses: {
    200: {
      description: "Rotated",
      content: json(z.object({ rotated_at: z.number().int() })),
    },
  },
});

/** /v1/projects/:id: the project named by the path (a key may only name its own). */
export const project = projectPathRouter()
  .openapi(getProject, async (c) => {
    const row = await findProject(c.env.DB, c.var.projectId);
    return c.json({ project: toProject(row) }, 200);
  })
  .openapi(patchProject, async (c) => {
    try {
      const project = await updateProject(
        { db: c.env.DB, who: whoOf(c), projectId: c.var.projectId },
        c.req.valid("json"),
      );
      return c.json({ project }, 200);
    } catch (thrown) {
      if (thrown instanceof SlugTakenError) throw slugTaken(thrown.slug);
      throw thrown;
    }
  })
  // Answers 202 and deletes everything of the project in the background.
  .openapi(deleteProject, async (c) => {
    const row = await findProject(c.env.DB, c.var.projectId);
    const before = { id: row.id, name: row.name };
    const deletion = await requestDeletion(c, { kind: "project", projectId: row.id }, before);
    return c.json({ deletion }, 202);
  })
  .openapi(rotateHashSecret, async (c) => {
    const id = c.var.projectId;
    await findProject(c.env.DB, id);
    const db = drizzle(c.env.DB);
    const rotatedAt = Date.now();
    // One batch: the new secret and its audit entry (which records the time, never the secret).
    await db.batch([
      db.update(projectsTable).set({ hashSecret: newHashSecret() }).where(eq(projectsTable.id, id)),
      auditEntry(c, id, "project.rotate_hash_secret", id, null, { rotated_at: rotatedAt }),
    ]);
    forgetProjectPrivacy(id);
    return c.json({ rotated_at: rotatedAt }, 200);
  });
