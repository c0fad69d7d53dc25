// What people do to a project's API keys: list, create, revoke, rotate. The API routes
// (/v1/projects/:id/keys) and the dashboard's key settings both call these, so the two
// cannot disagree. Each change and its audit entry are one D1 batch: no key change without
// its entry, and no entry for a change that did not happen. A new secret is returned once
// and never stored (only its hash).
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert } from "../audit/audit-entry";
import { apiKeysTable, projectsTable } from "../db/schema";
import { DEFAULT_ENVIRONMENT } from "../ingest/normalize";
import { newRecordId } from "../shared/ids";
import { OperationError } from "../shared/operation-error";
import type { z } from "../zod";
import { allowedEntry, canonicalOrigin } from "./key-limits";
import { type CreateKeySchema, KeySchema, NewKeySchema, type RotateKeySchema } from "./key-schema";
import { forgetKeyHash, newKeySecret, sha256Hex } from "./keys";
import { fromRow } from "./openapi/from-row";

export type KeyRow = typeof apiKeysTable.$inferSelect;
export type KeyView = z.output<typeof KeySchema>;
export type NewKeyView = z.output<typeof NewKeySchema>;

/** Who acts on which project's keys. */
export interface KeyActor {
  db: D1Database;
  who: Actor;
  projectId: string;
}

/** Deployment entries as `environment/slug`, also those of keys stored as bare slugs. */
const entries = (list: readonly string[]) => [
  ...new Set(list.map((entry) => allowedEntry(entry, DEFAULT_ENVIRONMENT))),
];

export const toKey = (row: KeyRow): KeyView =>
  fromRow(KeySchema, {
    ...row,
    allowedDeployments: row.allowedDeployments ? entries(row.allowedDeployments) : null,
  });

/** A new key row and its secret: the secret goes into one answer and is never stored. */
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

async function findKey(db: D1Database, projectId: string, keyId: string): Promise<KeyRow> {
  const [row] = await drizzle(db)
    .select()
    .from(apiKeysTable)
    .where(and(eq(apiKeysTable.id, keyId), eq(apiKeysTable.projectId, projectId)));
  if (!row)
    throw new OperationError("not_found", `Key '${keyId}' not found in project '${projectId}'`);
  return row;
}

/** The project's keys, revoked ones included, secrets never, oldest first. */
export async function listKeys(db: D1Database, projectId: string): Promise<KeyView[]> {
  const rows = await drizzle(db)
    .select()
    .from(apiKeysTable)
    .where(eq(apiKeysTable.projectId, projectId));
  return rows.map(toKey);
}

export async function createKey(
  a: KeyActor,
  body: z.output<typeof CreateKeySchema>,
): Promise<NewKeyView> {
  const db = drizzle(a.db);
  const [project] = await db
    .select({ id: projectsTable.id })
    .from(projectsTable)
    .where(eq(projectsTable.id, a.projectId));
  if (!project) throw new OperationError("not_found", `Project '${a.projectId}' not found`);
  const { row, secret } = await newKey({
    projectId: a.projectId,
    name: body.name,
    scopes: [...new Set(body.scopes)],
    expiresAt: body.expires_at ?? null,
    allowedOrigins: body.allowed_origins ? [...new Set(body.allowed_origins.map(canonical))] : null,
    allowedDeployments: body.allowed_deployments ? entries(body.allowed_deployments) : null,
  });
  await db.batch([
    db.insert(apiKeysTable).values(row),
    auditInsert(a.db, a.who, {
      projectId: a.projectId,
      action: "key.create",
      target: row.id,
      before: null,
      after: toKey(row),
    }),
  ]);
  return fromRow(NewKeySchema, { ...row, secret });
}

/** Revokes a key; revoking twice is a no-op answering the key as it is. */
export async function revokeKey(a: KeyActor, keyId: string): Promise<KeyView> {
  const before = await findKey(a.db, a.projectId, keyId);
  if (before.revokedAt !== null) return toKey(before);
  const db = drizzle(a.db);
  const revokedAt = Date.now();
  const after = toKey({ ...before, revokedAt });
  const [[row]] = await db.batch([
    db
      .update(apiKeysTable)
      .set({ revokedAt: sql`coalesce(${apiKeysTable.revokedAt}, ${revokedAt})` })
      .where(and(eq(apiKeysTable.id, before.id), eq(apiKeysTable.projectId, a.projectId)))
      .returning(),
    auditInsert(a.db, a.who, {
      projectId: a.projectId,
      action: "key.revoke",
      target: before.id,
      before: toKey(before),
      after,
    }),
  ]);
  forgetKeyHash(before.hash);
  return row ? toKey(row) : after;
}

/**
 * A new key with the old one's name, scopes and limits; the old key keeps working until it
 * is revoked or reaches `old_key_expires_at`. A revoked key cannot be rotated (conflict).
 */
export async function rotateKey(
  a: KeyActor,
  keyId: string,
  body: z.output<typeof RotateKeySchema>,
): Promise<{ key: NewKeyView; previous: KeyView }> {
  const old = await findKey(a.db, a.projectId, keyId);
  if (old.revokedAt !== null) {
    throw new OperationError("conflict", `Key '${old.id}' is revoked; create a new key instead`);
  }
  const { row, secret } = await newKey({
    projectId: a.projectId,
    name: old.name,
    scopes: old.scopes,
    expiresAt: body.expires_at ?? null,
    allowedOrigins: old.allowedOrigins,
    allowedDeployments: old.allowedDeployments,
  });
  const previous = toKey({ ...old, expiresAt: body.old_key_expires_at ?? old.expiresAt });
  const db = drizzle(a.db);
  await db.batch([
    db.insert(apiKeysTable).values(row),
    db
      .update(apiKeysTable)
      .set({ expiresAt: previous.expires_at })
      .where(eq(apiKeysTable.id, old.id)),
    auditInsert(a.db, a.who, {
      projectId: a.projectId,
      action: "key.rotate",
      target: old.id,
      before: toKey(old),
      after: { previous, key: toKey(row) },
    }),
  ]);
  // The old key's cached context would keep its former expiry for up to 30 s.
  forgetKeyHash(old.hash);
  return { key: fromRow(NewKeySchema, { ...row, secret }), previous };
}
