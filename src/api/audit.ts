// Writes one audit-log row per configuration change: who, what, before and after.

import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { auditLogTable } from "../db/schema";
import type { AppEnv } from "./app-types";

export async function audit(
  c: Context<AppEnv>,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  const auth = c.get("auth");
  await drizzle(c.env.DB)
    .insert(auditLogTable)
    .values({
      projectId,
      actor: auth.kind === "root" ? "root" : `key:${auth.keyId ?? "unknown"}`,
      action,
      target,
      before: before ?? null,
      after: after ?? null,
      at: Date.now(),
    });
}
