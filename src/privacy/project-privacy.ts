// A project's privacy settings for ingest (identifier key, PII tag switch, example events), cached per
// isolate so that a beacon costs no D1 read and no key import in the steady state.

import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { projectsTable } from "../db/schema";
import { PromiseCache } from "../shared/promise-cache";
import { importHashKey, newHashSecret } from "./identifier-hash";

export interface ProjectPrivacy {
  hashKey: CryptoKey;
  dropPiiTags: boolean;
  /** Whether its deployments keep example events (src/window/example-sample.ts). */
  keepExamples: boolean;
}

// A rotation or a switch change is seen at once by the isolate that made it (forget
// below) and by the others within this time.
const cache = new PromiseCache<ProjectPrivacy>(30_000, 1_000);

async function load(db: D1Database, projectId: string): Promise<ProjectPrivacy> {
  const orm = drizzle(db);
  const read = () =>
    orm
      .select({
        secret: projectsTable.hashSecret,
        drop: projectsTable.dropPiiTags,
        examples: projectsTable.keepExamples,
      })
      .from(projectsTable)
      .where(eq(projectsTable.id, projectId));
  let [row] = await read();
  if (!row) throw new Error(`project ${projectId} not found`);
  if (!row.secret) {
    // Safety net for a row written without a secret (migration 0010 backfills old
    // ones): the first writer wins, everyone then reads the stored one.
    await orm
      .update(projectsTable)
      .set({ hashSecret: newHashSecret() })
      .where(and(eq(projectsTable.id, projectId), isNull(projectsTable.hashSecret)));
    [row] = await read();
    if (!row?.secret) throw new Error(`project ${projectId} has no identifier secret`);
  }
  return {
    hashKey: await importHashKey(row.secret),
    dropPiiTags: row.drop,
    keepExamples: row.examples,
  };
}

export function projectPrivacy(db: D1Database, projectId: string): Promise<ProjectPrivacy> {
  return cache.get(projectId, () => load(db, projectId));
}

/** Called after a rotation or a settings change in this isolate. */
export function forgetProjectPrivacy(projectId: string): void {
  cache.forget(projectId);
}
