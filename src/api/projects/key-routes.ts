// /v1/projects/:id/keys: create, list, revoke and rotate a project's API keys. Each change
// and its audit entry are one D1 batch: no key change without its entry, and no entry for a
// change that did not happen.
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { apiKeysTable, projectsTable } from "../../db/schema";
import type { ProjectEnv } from "../../http/app-types";
import { auditEntry } from "../../http/audit";
import { ApiError } from "../../http/errors";
import { allowedEntry, canonicalOrigin } from "../../http/key-limits";
import { forgetKeyHash, newKeySecret, sha256Hex } from "../../http/keys";
import { fromRow } from "../../http/openapi/from-row";
import { apiRoute, json } from "../../http/openapi/route";
import { projectPathRouter } from "../../http/openapi/router";
import { ProjectIdParams } from "../../http/shared-params";
import { DEFAULT_ENVIRONMENT } from "../../ingest/normalize";
import { newRecordId } from "../../shared/ids";
import { z } from "../../zod";
import { CreateKeySchema, KeyParams, KeySchema, NewKeySchema, RotateKeySchema } from "./schema";

type KeyRow = typeof apiKeysTable.$inferSelect;

/** Deployment entries as `environment/slug`, also those of keys stored as bare slugs. */
const entries = (list: readonly string[]) => [
  ...new Set(list.map((entry) => allowedEntry(entry, DEFAULT_ENVIRONMENT))),
];

const toKey = (row: KeyRow) =>
  fromRow(KeySchema, {
    ...row,
    allowedDeployments: row.allowedDeployments ? entries(row.allowedDeployments) : null,
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

/** Validated by the schema's origin check, so never null here. */
const canonical = (origin: string) => canonicalOrigin(origin) ?? origin;

async function findKey(c: Context<ProjectEnv>, keyId: string): Promise<KeyRow> {
  const projectId = c.var.projectId;
  const [row] = await drizzle(c.env.DB)
    .select()
    .from(apiKeysTable)
    .where(and(eq(apiKeysTable.id, keyId), eq(apiKeysTable.projectId, projectId)));
  if (!row) throw new ApiError("not_found", `Key '${keyId}' not found in project '${projectId}'`);
  return row;
}

const tags = ["API keys"];
const KeyBody = z.object({ key: KeySchema });

const createKey = apiRoute({
  method: "post",
  path: "/keys",
  access: "admin",
  errors: [404],
  tags,
  summary: "Create an API key",
  request: { params: ProjectIdParams, body: { content: json(CreateKeySchema) } },
  responses: {
    201: {
      description: "The key, with its secret (shown this once)",
      content: json(z.object({ key: NewKeySchema })),
    },
  },
});

const listKeys = apiRoute({
  method: "get",
  path: "/keys",
  access: "admin",
  tags,
  summary: "List the project's API keys (revoked ones included, secrets never)",
  request: { params: ProjectIdParams },
  responses: {
    200: { description: "The keys", content: json(z.object({ keys: z.array(KeySchema) })) },
  },
});

const revokeKey = apiRoute({
  method: "delete",
  path: "/keys/{keyId}",
  access: "admin",
  errors: [404],
  tags,
  summary: "Revoke an API key",
  description: "Other isolates honour the revocation within 30 seconds. Revoking twice is a no-op.",
  request: { params: KeyParams },
  responses: { 200: { description: "The revoked key", content: json(KeyBody) } },
});

const rotateKey = apiRoute({
  method: "post",
  path: "/keys/{keyId}/rotate",
  access: "admin",
  errors: [404, 409],
  tags,
  summary: "Rotate an API key",
  description:
    "Creates a key with the old one's name, scopes and limits. The old key keeps working " +
    "until it is revoked or reaches `old_key_expires_at`, so clients move over without an outage.",
  request: { params: KeyParams, body: { content: json(RotateKeySchema) } },
  responses: {
    201: {
      description: "The new key (with its secret) and the old one as it now is",
      content: json(z.object({ key: NewKeySchema, previous: KeySchema })),
    },
  },
});

export const keys = projectPathRouter()
  .openapi(createKey, async (c) => {
    const projectId = c.var.projectId;
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
      allowedDeployments: body.allowed_deployments ? entries(body.allowed_deployments) : null,
    });
    const key = toKey(row);
    await db.batch([
      db.insert(apiKeysTable).values(row),
      auditEntry(c, projectId, "key.create", row.id, null, key),
    ]);
    // The secret is in this response and nowhere else: only its hash is stored.
    return c.json({ key: fromRow(NewKeySchema, { ...row, secret }) }, 201);
  })
  .openapi(listKeys, async (c) => {
    const rows = await drizzle(c.env.DB)
      .select()
      .from(apiKeysTable)
      .where(eq(apiKeysTable.projectId, c.var.projectId));
    return c.json({ keys: rows.map(toKey) }, 200);
  })
  .openapi(revokeKey, async (c) => {
    const projectId = c.var.projectId;
    const before = await findKey(c, c.req.valid("param").keyId);
    if (before.revokedAt !== null) return c.json({ key: toKey(before) }, 200);
    const db = drizzle(c.env.DB);
    const revokedAt = Date.now();
    const after = toKey({ ...before, revokedAt });
    const [[row]] = await db.batch([
      db
        .update(apiKeysTable)
        .set({ revokedAt: sql`coalesce(${apiKeysTable.revokedAt}, ${revokedAt})` })
        .where(and(eq(apiKeysTable.id, before.id), eq(apiKeysTable.projectId, projectId)))
        .returning(),
      auditEntry(c, projectId, "key.revoke", before.id, toKey(before), after),
    ]);
    forgetKeyHash(before.hash);
    return c.json({ key: row ? toKey(row) : after }, 200);
  })
  .openapi(rotateKey, async (c) => {
    const projectId = c.var.projectId;
    const body = c.req.valid("json");
    const old = await findKey(c, c.req.valid("param").keyId);
    if (old.revokedAt !== null) {
      throw new ApiError("conflict", `Key '${old.id}' is revoked; create a new key instead`);
    }
    const { row, secret } = await newKey({
      projectId,
      name: old.name,
      scopes: old.scopes,
      expiresAt: body.expires_at ?? null,
      allowedOrigins: old.allowedOrigins,
      allowedDeployments: old.allowedDeployments,
    });
    const previous = toKey({ ...old, expiresAt: body.old_key_expires_at ?? old.expiresAt });
    const key = toKey(row);
    const db = drizzle(c.env.DB);
    await db.batch([
      db.insert(apiKeysTable).values(row),
      db
        .update(apiKeysTable)
        .set({ expiresAt: previous.expires_at })
        .where(eq(apiKeysTable.id, old.id)),
      auditEntry(c, projectId, "key.rotate", old.id, toKey(old), { previous, key }),
    ]);
    // The old key's cached context would keep its former expiry for up to 30 s.
    forgetKeyHash(old.hash);
    return c.json({ key: fromRow(NewKeySchema, { ...row, secret }), previous }, 201);
  });
