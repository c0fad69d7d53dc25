// What people do to a deployment's pinned baselines: capture one (a time range or a release,
// merged in the deployment's Durable Object), activate one, delete one. The API routes
// (/v1/deployments/:env/:slug/baselines) and the dashboard's baseline page both call these,
// so the two cannot disagree. Each change and its audit entry are one D1 batch.
import { and, eq, max, min } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { type Actor, auditInsert } from "../../audit/audit-entry";
import { baselinesTable, releasesTable } from "../../db/schema";
import { HOUR_RETENTION_MS } from "../../monitor/retention-horizons";
import { newRecordId } from "../../shared/ids";
import { OperationError } from "../../shared/operation-error";
import { HOUR_MS, MINUTE_MS, minuteOf } from "../../shared/time";
import { decodeBucket } from "../../window/bucket";
import type { CaptureRequest, ReleaseFilter } from "./capture-schema";

export type BaselineRow = typeof baselinesTable.$inferSelect;

/** Who acts on which deployment's baselines. */
export interface BaselineActor {
  env: Env;
  who: Actor;
  projectId: string;
  deploymentId: string;
}

/** The requested range holds no events: the API's 400, a field error on the dashboard. */
export class EmptyRangeError extends Error {
  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    super("The range holds no events for this deployment");
    this.name = "EmptyRangeError";
  }
}

/** The audit entries' view of a baseline (the API's field names, without the bucket). */
export const baselineView = (row: BaselineRow) => ({
  id: row.id,
  kind: row.kind,
  label: row.label,
  from: row.from,
  to: row.to,
  release: row.release,
  count: row.count,
  active: row.active,
  created_at: row.createdAt,
});

export async function findBaseline(db: D1Database, deploymentId: string, id: string) {
  const [row] = await drizzle(db)
    .select()
    .from(baselinesTable)
    .where(and(eq(baselinesTable.id, id), eq(baselinesTable.deploymentId, deploymentId)));
  if (!row) throw new OperationError("not_found", `Baseline '${id}' not found`);
  return row;
}

/** Makes `id` the deployment's only active baseline: statements for the caller's D1 batch. */
export function activation(d: DrizzleD1Database, deploymentId: string, id: string) {
  return [
    d
      .update(baselinesTable)
      .set({ active: false })
      .where(eq(baselinesTable.deploymentId, deploymentId)),
    d.update(baselinesTable).set({ active: true }).where(eq(baselinesTable.id, id)),
  ] as const;
}

const describe = (filter: ReleaseFilter) =>
  Object.entries(filter)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/**
 * The span of every release row matching the named fields (unnamed ones match anything):
 * [first_seen, end of last_seen's minute). The baseline holds all of the deployment's
 * traffic in that span.
 */
async function releaseRange(db: D1Database, deploymentId: string, filter: ReleaseFilter) {
  const fields = {
    model: releasesTable.model,
    provider: releasesTable.provider,
    prompt_version: releasesTable.promptVersion,
    release: releasesTable.release,
  } as const;
  const conditions = Object.entries(filter).map(([key, value]) =>
    eq(fields[key as keyof typeof fields], value),
  );
  const [span] = await drizzle(db)
    .select({ from: min(releasesTable.firstSeen), last: max(releasesTable.lastSeen) })
    .from(releasesTable)
    .where(and(eq(releasesTable.deploymentId, deploymentId), ...conditions));
  if (!span || span.from === null || span.last === null) {
    throw new OperationError(
      "not_found",
      `No release matching ${describe(filter)} in this deployment`,
    );
  }
  // NOTE: to the end of last_seen's minute, not last_seen + 1 min, which would pull in
  // the next minute's bucket (buckets merge whole).
  return { from: span.from, to: minuteOf(span.last) + MINUTE_MS };
}

/** Merges the range in the deployment's Durable Object; EmptyRangeError when it holds none. */
export async function captureBaseline(
  env: Env,
  deploymentId: string,
  body: CaptureRequest,
): Promise<BaselineRow> {
  const now = Date.now();
  const requested = body.release
    ? await releaseRange(env.DB, deploymentId, body.release)
    : { from: body.from ?? 0, to: body.to ?? 0 };
  // Hour buckets older than 35 days are gone; a release that old is captured from what is left.
  const from = Math.max(requested.from, now - HOUR_RETENTION_MS);
  const [window] = await env.DEPLOYMENT_MONITOR.getByName(deploymentId).windows([
    { from, to: requested.to },
  ]);
  const count = window && window.buckets > 0 ? decodeBucket(window.data).counters.count : 0;
  if (!window || count === 0) throw new EmptyRangeError(from, requested.to);
  // The merged buckets are whole minutes or hours: store the span they really cover
  // (the evaluator divides by it to compare volumes), but never past now.
  const step = window.resolution === "1h" ? HOUR_MS : MINUTE_MS;
  const bucketEnd = Math.ceil(requested.to / step) * step;
  const to = Math.max(requested.to, Math.min(bucketEnd, now));
  return {
    id: newRecordId("bl"),
    deploymentId,
    kind: body.release ? "release" : "range",
    label:
      body.label ??
      (body.release
        ? describe(body.release)
        : `${new Date(window.from).toISOString()} – ${new Date(to).toISOString()}`),
    from: window.from,
    to,
    release: body.release ? { ...body.release } : null,
    data: window.data,
    count,
    active: false,
    createdAt: now,
  };
}

/** Captures and stores a baseline (activated when asked), audited as `baseline.create`. */
export async function createBaseline(by: BaselineActor, body: CaptureRequest) {
  const row = await captureBaseline(by.env, by.deploymentId, body);
  const after = baselineView({ ...row, active: body.activate });
  const db = drizzle(by.env.DB);
  await db.batch([
    db.insert(baselinesTable).values(row),
    ...(body.activate ? activation(db, by.deploymentId, row.id) : []),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "baseline.create",
      target: row.id,
      before: null,
      after,
    }),
  ]);
  return { ...row, active: body.activate };
}

export async function activateBaseline(by: BaselineActor, id: string) {
  const before = await findBaseline(by.env.DB, by.deploymentId, id);
  const after = { ...before, active: true };
  const db = drizzle(by.env.DB);
  await db.batch([
    ...activation(db, by.deploymentId, before.id),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "baseline.activate",
      target: before.id,
      before: baselineView(before),
      after: baselineView(after),
    }),
  ]);
  return after;
}

/** Deletes a baseline; without an active pinned one, evaluation falls back to the rolling one. */
export async function deleteBaseline(by: BaselineActor, id: string) {
  const before = await findBaseline(by.env.DB, by.deploymentId, id);
  const db = drizzle(by.env.DB);
  await db.batch([
    db.delete(baselinesTable).where(eq(baselinesTable.id, before.id)),
    auditInsert(by.env.DB, by.who, {
      projectId: by.projectId,
      action: "baseline.delete",
      target: before.id,
      before: baselineView(before),
      after: null,
    }),
  ]);
  return before;
}
