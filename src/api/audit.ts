// Audit-log rows, one per configuration change: who, what, before and after. auditEntry gives
// the INSERT for the caller's D1 batch, so the change and its entry commit together or not at
// all; audit() writes one on its own (routers that still audit after the change).
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { auditLogTable } from "../db/schema";
import type { AppEnv } from "./app-types";

export function auditEntry<E extends AppEnv>(
  c: Context<E>,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
) {
  const auth = c.get("auth");
  return drizzle(c.env.DB)
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

export async function audit(
  c: Context<AppEnv>,
  projectId: string,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await auditEntry(c, projectId, action, target, before, after);
}
