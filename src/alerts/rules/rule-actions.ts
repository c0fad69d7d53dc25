// What people do to alert rules: create, change, delete. The API routes (/v1/rules) and the
// dashboard's rule settings both call these, so the two cannot disagree. Each change and its
// audit entry are one D1 batch, and a change is guarded by the row as read (its updated_at,
// which every write moves forward), so two concurrent edits cannot both land: the later one
// is refused as a conflict. A channel the rule names that the project lacks is a field
// problem the caller shows (the API as a 400 naming `channels.N`, the dashboard beside it).
import { and, eq, exists, notExists } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert, auditInsertIf } from "../../audit/audit-entry";
import { channelsTable, rulesTable } from "../../db/schema";
import { newRecordId } from "../../shared/ids";
import { OperationError } from "../../shared/operation-error";
import { DEFAULT_RULES } from "./default-rules";
import { type EffectiveRule, effectiveRules } from "./effective-rules";
import type { Rule } from "./rule-schema";

/** Who acts on which project's rules. */
export interface RuleActor {
  db: D1Database;
  who: Actor;
  projectId: string;
}

export interface RuleProblem {
  path: string;
  message: string;
}

const DEFAULTS = new Map(DEFAULT_RULES.map((r) => [r.id, r]));

export async function findRule(
  db: D1Database,
  projectId: string,
  id: string,
): Promise<EffectiveRule> {
  const found = (await effectiveRules(db, projectId)).find((e) => e.rule.id === id);
  if (!found) throw new OperationError("not_found", `Rule '${id}' not found`);
  return found;
}

/** Every channel a rule names must belong to the project: a problem naming `channels.N`. */
export async function channelProblems(
  db: D1Database,
  projectId: string,
  ids: readonly string[],
): Promise<RuleProblem[]> {
  if (ids.length === 0) return [];
  const rows = await drizzle(db)
    .select({ id: channelsTable.id })
    .from(channelsTable)
    .where(eq(channelsTable.projectId, projectId));
  const known = new Set(rows.map((r) => r.id));
  return ids.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `channels.${i}`, message: `no channel '${id}' in this project` }],
  );
}

/** A short fingerprint of a rule in force, for the dashboard's "changed meanwhile" check. */
export async function ruleVersion(e: EffectiveRule): Promise<string> {
  const text = JSON.stringify([e.rule, e.updatedAt]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

const stored = (rule: Rule) => ({ ...rule }) as Record<string, unknown>;

/** Creates a custom rule (input already valid and free of channelProblems). */
export async function createRule(by: RuleActor, input: Omit<Rule, "id">): Promise<EffectiveRule> {
  const rule: Rule = { id: newRecordId("rule"), ...input };
  const now = Date.now();
  const db = drizzle(by.db);
  await db.batch([
    db.insert(rulesTable).values({
      id: rule.id,
      projectId: by.projectId,
      definition: stored(rule),
      createdAt: now,
      updatedAt: now,
    }),
    auditInsert(by.db, by.who, {
      projectId: by.projectId,
      action: "rule.create",
      target: rule.id,
      before: null,
      after: rule,
    }),
  ]);
  return { rule, source: "custom", createdAt: now, updatedAt: now };
}

/**
 * Stores `after` in place of `before` (a default gets an override row). With
 * `expectedVersion` (the dashboard's form carries the version it showed), a rule changed
 * since is a conflict; the write itself only lands if the row is still as read.
 */
export async function replaceRule(
  by: RuleActor,
  before: EffectiveRule,
  after: Rule,
  expectedVersion?: string,
): Promise<EffectiveRule> {
  if (expectedVersion !== undefined && expectedVersion !== (await ruleVersion(before))) {
    throw new OperationError(
      "conflict",
      `Rule '${before.rule.name}' was changed by someone else since you opened it; reload to see the change`,
    );
  }
  const now = Math.max(Date.now(), (before.updatedAt ?? 0) + 1);
  const db = drizzle(by.db);
  const mine = and(eq(rulesTable.projectId, by.projectId), eq(rulesTable.id, before.rule.id));
  const audit = {
    projectId: by.projectId,
    action: "rule.update",
    target: before.rule.id,
    before: before.rule,
    after,
  };
  const changed = () =>
    new OperationError("conflict", "The rule changed meanwhile; reload and try again");
  if (before.updatedAt === null) {
    // A default as shipped: the override row must still be absent.
    const none = notExists(db.select({ id: rulesTable.id }).from(rulesTable).where(mine));
    const [, inserted] = await db.batch([
      auditInsertIf(by.db, by.who, none, audit),
      db
        .insert(rulesTable)
        .values({
          id: after.id,
          projectId: by.projectId,
          definition: stored(after),
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: rulesTable.id }),
    ]);
    if (inserted.length === 0) throw changed();
    return { rule: after, source: "override", createdAt: now, updatedAt: now };
  }
  const asRead = and(mine, eq(rulesTable.updatedAt, before.updatedAt));
  const unchanged = exists(db.select({ id: rulesTable.id }).from(rulesTable).where(asRead));
  const [, updated] = await db.batch([
    auditInsertIf(by.db, by.who, unchanged, audit),
    db
      .update(rulesTable)
      .set({ definition: stored(after), updatedAt: now })
      .where(asRead)
      .returning({ id: rulesTable.id }),
  ]);
  if (updated.length === 0) throw changed();
  return { ...before, rule: after, updatedAt: now };
}

/**
 * Deletes a custom rule or a default's override (restoring the default, returned). A default
 * without an override cannot be deleted: disable it instead.
 */
export async function deleteRule(
  by: RuleActor,
  id: string,
): Promise<{ deleted: string; restored: Rule | null }> {
  const before = await findRule(by.db, by.projectId, id);
  const fallback = DEFAULTS.get(id) ?? null;
  if (before.source === "default") {
    throw new OperationError(
      "conflict",
      `Rule '${id}' is a default and has no override to remove; PATCH {"enabled": false} to disable it`,
    );
  }
  const db = drizzle(by.db);
  await db.batch([
    db.delete(rulesTable).where(and(eq(rulesTable.projectId, by.projectId), eq(rulesTable.id, id))),
    auditInsert(by.db, by.who, {
      projectId: by.projectId,
      action: "rule.delete",
      target: id,
      before: before.rule,
      after: fallback,
    }),
  ]);
  return { deleted: id, restored: fallback };
}
