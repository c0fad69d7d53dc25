// /v1/projects: create and delete projects (root only), change their settings (name,
// public status page) and manage their API keys.
import { and, eq, ne, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { apiKeysTable, KEY_SCOPES, projectsTable } from "../db/schema";
import { SlugSchema } from "../ingest/event-schema";
import { PriceOverridesSchema } from "../ingest/prices";
import { newHashSecret } from "../privacy/identifier-hash";
import { forgetProjectPrivacy } from "../privacy/project-privacy";
import { newRecordId } from "../shared/ids";
import { StatusPageSettingsSchema } from "../status/page-settings";
import { z } from "../zod";
import type { AppEnv } from "./app-types";
import { audit } from "./audit";
import { projectOf, requireAuth } from "./auth";
import { requestDeletion } from "./deletions";
import { ApiError } from "./errors";
import { canonicalOrigin } from "./key-limits";
import { forgetKeyHash, newKeySecret, sha256Hex } from "./keys";
import { validate } from "./validate";

const CreateProjectSchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  retention_days: z.number().int().min(1).max(400).default(30),
  // At least 90: the status page draws 90 daily bars from 1-hour rollups.
  rollup_retention_days: z.number().int().min(90).max(1825).default(400),
  price_overrides: PriceOverridesSchema.optional(),
});

const PatchProjectSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).optional(),
    /** null removes the page (and frees its slug); `enabled: false` keeps it but serves 404. */
    status_page: StatusPageSettingsSchema.nullable().optional(),
    /** Drop tag values that look like personal data at ingest (src/privacy/pii.ts). */
    drop_pii_tags: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: "nothing to change: give name, status_page or drop_pii_tags",
  });

/** Epoch ms in the future (checked against the clock when the request is handled). */
const ExpiresAtSchema = z
  .number()
  .int()
  .refine((at) => at > Date.now(), { message: "must be in the future (epoch milliseconds)" });

const OriginSchema = z.string().refine((o) => canonicalOrigin(o) !== null, {
  message: "must be an origin such as https://app.example.com (scheme, host, optional port)",
});

const CreateKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(128).default("default"),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(3),
    expires_at: ExpiresAtSchema.optional(),
    allowed_origins: z.array(OriginSchema).min(1).max(32).optional(),
    allowed_deployments: z.array(SlugSchema).min(1).max(100).optional(),
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

const RotateKeySchema = z.strictObject({
  /** The new key's expiry; absent: it never expires. */
  expires_at: ExpiresAtSchema.optional(),
  /** When the old key stops working; absent: it works until revoked (or its own expiry). */
  old_key_expires_at: ExpiresAtSchema.optional(),
});

type KeyRow = typeof apiKeysTable.$inferSelect;
const keyView = (k: KeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  created_at: k.createdAt,
  revoked_at: k.revokedAt,
  expires_at: k.expiresAt,
  last_used_at: k.lastUsedAt,
  allowed_origins: k.allowedOrigins,
  allowed_deployments: k.allowedDeployments,
});

/** A new key row and its secret: the secret goes into one response and is never stored. */
async function newKey(
  fields: Pick<
    KeyRow,
    "projectId" | "name" | "scopes" | "expiresAt" | "allowedOrigins" | "allowedDeployments"
  >,
): Promise<{ row: KeyRow; secret: string }> {
  const secret = newKeySecret(fields.scopes);
  const row: KeyRow = {
    ...fields,
    id: newRecordId("key"),
    hash: await sha256Hex(secret),
    prefix: secret.slice(0, 12),
    createdAt: Date.now(),
    revokedAt: null,
    lastUsedAt: null,
  };
  return { row, secret };
}

type ProjectRow = typeof projectsTable.$inferSelect;
const projectView = (p: ProjectRow) => ({
  id: p.id,
  name: p.name,
  retention_days: p.retentionDays,
  rollup_retention_days: p.rollupRetentionDays,
  price_overrides: p.priceOverrides ?? {},
  status_page: p.statusPage ?? null,
  drop_pii_tags: p.dropPiiTags,
  created_at: p.createdAt,
});

/** Validated by OriginSchema, so never null here. */
const canonical = (origin: string) => canonicalOrigin(origin) ?? origin;

const isUniqueViolation = (error: unknown) =>
  error instanceof Error &&
  /UNIQUE constraint failed/.test(`${error.message} ${error.cause ?? ""}`);

const slugTaken = (slug: string) =>
  new ApiError("conflict", `Status page slug '${slug}' is taken`, {
    issues: [{ path: "status_page.slug", message: `'${slug}' is used by another project` }],
  });

export const projects = new Hono<AppEnv>()
  .post(
    "/",
    requireAuth({ scope: "admin", rootOnly: true }),
    validate("json", CreateProjectSchema),
    async (c) => {
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
        createdAt: Date.now(),
      };
      await drizzle(c.env.DB).insert(projectsTable).values(row);
      return c.json({ project: projectView(row) }, 201);
    },
  )
  .get("/:id", requireAuth({ scope: "admin" }), async (c) => {
    const id = projectOf(c, c.req.param("id"));
    const [row] = await drizzle(c.env.DB)
      .select()
      .from(projectsTable)
      .where(eq(projectsTable.id, id));
    if (!row) throw new ApiError("not_found", `Project '${id}' not found`);
    return c.json({ project: projectView(row) });
  })
  // Root only: answers 202 and deletes everything of the project in the background.
  .delete("/:id", requireAuth({ scope: "admin", rootOnly: true }), async (c) => {
    const id = c.req.param("id");
    const [row] = await drizzle(c.env.DB)
      .select()
      .from(projectsTable)
      .where(eq(projectsTable.id, id));
    if (!row) throw new ApiError("not_found", `Project '${id}' not found`);
    const before = { id: row.id, name: row.name };
    const deletion = await requestDeletion(c, { kind: "project", projectId: id }, before);
    return c.json({ deletion }, 202);
  })
  .patch(
    "/:id",
    requireAuth({ scope: "admin" }),
    validate("json", PatchProjectSchema),
    async (c) => {
      const id = projectOf(c, c.req.param("id"));
      const body = c.req.valid("json");
      const db = drizzle(c.env.DB);
      const [before] = await db.select().from(projectsTable).where(eq(projectsTable.id, id));
      if (!before) throw new ApiError("not_found", `Project '${id}' not found`);
      const page = body.status_page;
      if (page) {
        const [other] = await db
          .select({ id: projectsTable.id })
          .from(projectsTable)
          .where(and(eq(projectsTable.statusSlug, page.slug), ne(projectsTable.id, id)));
        if (other) throw slugTaken(page.slug);
      }
      const change: Partial<ProjectRow> = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(page === undefined ? {} : { statusPage: page, statusSlug: page?.slug ?? null }),
        ...(body.drop_pii_tags === undefined ? {} : { dropPiiTags: body.drop_pii_tags }),
      };
      let after: ProjectRow | undefined;
      try {
        [after] = await db
          .update(projectsTable)
          .set(change)
          .where(eq(projectsTable.id, id))
          .returning();
      } catch (error) {
        // Two projects claiming one slug at the same moment: the unique index decides.
        if (page && isUniqueViolation(error)) throw slugTaken(page.slug);
        throw error;
      }
      if (!after) throw new ApiError("not_found", `Project '${id}' not found`);
      forgetProjectPrivacy(id);
      await audit(c, id, "project.update", id, projectView(before), projectView(after));
      return c.json({ project: projectView(after) });
    },
  )
  // A new identifier secret: hashes stored from now on no longer match older ones (a
  // returning user counts as new), which is the point when the old secret may have leaked.
  .post("/:id/hash-secret/rotate", requireAuth({ scope: "admin" }), async (c) => {
    const id = projectOf(c, c.req.param("id"));
    const [row] = await drizzle(c.env.DB)
      .update(projectsTable)
      .set({ hashSecret: newHashSecret() })
      .where(eq(projectsTable.id, id))
      .returning({ id: projectsTable.id });
    if (!row) throw new ApiError("not_found", `Project '${id}' not found`);
    forgetProjectPrivacy(id);
    const rotatedAt = Date.now();
    // The audit entry records that it happened, never the secret.
    await audit(c, id, "project.rotate_hash_secret", id, null, { rotated_at: rotatedAt });
    return c.json({ rotated_at: rotatedAt });
  })
  .post(
    "/:id/keys",
    requireAuth({ scope: "admin" }),
    validate("json", CreateKeySchema),
    async (c) => {
      const projectId = projectOf(c, c.req.param("id"));
      const db = drizzle(c.env.DB);
      const [project] = await db
        .select({ id: projectsTable.id })
        .from(projectsTable)
        .where(eq(projectsTable.id, projectId));
      if (!project) throw new ApiError("not_found", `Project '${projectId}' not found`);
      const body = c.req.valid("json");
      const { row, secret } = await newKey({
        projectId,
        name: body.name,
        scopes: [...new Set(body.scopes)],
        expiresAt: body.expires_at ?? null,
        allowedOrigins: body.allowed_origins
          ? [...new Set(body.allowed_origins.map(canonical))]
          : null,
        allowedDeployments: body.allowed_deployments
          ? [...new Set(body.allowed_deployments)]
          : null,
      });
      await db.insert(apiKeysTable).values(row);
      // The secret is in this response and nowhere else: only its hash is stored.
      return c.json({ key: { ...keyView(row), secret } }, 201);
    },
  )
  .get("/:id/keys", requireAuth({ scope: "admin" }), async (c) => {
    const projectId = projectOf(c, c.req.param("id"));
    const rows = await drizzle(c.env.DB)
      .select()
      .from(apiKeysTable)
      .where(eq(apiKeysTable.projectId, projectId));
    return c.json({ keys: rows.map(keyView) });
  })
  .delete("/:id/keys/:keyId", requireAuth({ scope: "admin" }), async (c) => {
    const projectId = projectOf(c, c.req.param("id"));
    const keyId = c.req.param("keyId");
    const db = drizzle(c.env.DB);
    const [row] = await db
      .update(apiKeysTable)
      .set({ revokedAt: sql`coalesce(${apiKeysTable.revokedAt}, ${Date.now()})` })
      .where(and(eq(apiKeysTable.id, keyId), eq(apiKeysTable.projectId, projectId)))
      .returning();
    if (!row) throw new ApiError("not_found", `Key '${keyId}' not found in project '${projectId}'`);
    forgetKeyHash(row.hash);
    return c.json({ key: keyView(row) });
  })
  // Rotation: a new key with the old one's name, scopes and limits. The old key keeps
  // working until it is revoked or reaches `old_key_expires_at`, so clients move over
  // without an outage.
  .post(
    "/:id/keys/:keyId/rotate",
    requireAuth({ scope: "admin" }),
    validate("json", RotateKeySchema),
    async (c) => {
      const projectId = projectOf(c, c.req.param("id"));
      const keyId = c.req.param("keyId");
      const body = c.req.valid("json");
      const db = drizzle(c.env.DB);
      const [old] = await db
        .select()
        .from(apiKeysTable)
        .where(and(eq(apiKeysTable.id, keyId), eq(apiKeysTable.projectId, projectId)));
      if (!old)
        throw new ApiError("not_found", `Key '${keyId}' not found in project '${projectId}'`);
      if (old.revokedAt !== null) {
        throw new ApiError("conflict", `Key '${keyId}' is revoked; create a new key instead`);
      }
      const { row, secret } = await newKey({
        projectId,
        name: old.name,
        scopes: old.scopes,
        expiresAt: body.expires_at ?? null,
        allowedOrigins: old.allowedOrigins,
        allowedDeployments: old.allowedDeployments,
      });
      const oldExpiry = body.old_key_expires_at ?? old.expiresAt;
      const [, updated] = await db.batch([
        db.insert(apiKeysTable).values(row),
        db
          .update(apiKeysTable)
          .set({ expiresAt: oldExpiry })
          .where(eq(apiKeysTable.id, old.id))
          .returning(),
      ]);
      // The old key's cached context would keep its former expiry for up to 30 s.
      forgetKeyHash(old.hash);
      const previous = updated[0] ?? { ...old, expiresAt: oldExpiry };
      return c.json({ key: { ...keyView(row), secret }, previous: keyView(previous) }, 201);
    },
  );
