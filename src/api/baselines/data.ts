// Pinned baselines: resolving a release to its time range, merging the deployment's buckets
// over a range in its Durable Object, and the D1 lookups and changes.

import { and, eq, max, min } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { baselinesTable, releasesTable } from "../../db/schema";
import { ApiError } from "../../http/errors";
import { HOUR_RETENTION_MS } from "../../monitor/retention-horizons";
import { newRecordId } from "../../shared/ids";
import { HOUR_MS, MINUTE_MS, minuteOf } from "../../shared/time";
import { decodeBucket } from "../../window/bucket";
import type { CaptureRequest, ReleaseFilter } from "./schema";

type BaselineRow = typeof baselinesTable.$inferSelect;

export async function findBaseline(db: D1Database, deploymentId: string, id: string) {
  const [row] = await drizzle(db)
    .select()
    .from(baselinesTable)
    .where(and(eq(baselinesTable.id, id), eq(baselinesTable.deploymentId, deploymentId)));
  if (!row) throw new ApiError("not_found", `Baseline '${id}' not found`);
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
    throw new ApiError("not_found", `No release matching ${describe(filter)} in this deployment`);
  }
  // NOTE: to the end of last_seen's minute, not last_seen + 1 min, which would pull in
  // the next minute's bucket (buckets merge whole).
  return { from: span.from, to: minuteOf(span.last) + MINUTE_MS };
}

const describe = (filter: ReleaseFilter) =>
  Object.entries(filter)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/** Merges the range in the deployment's Durable Object; 400 when it holds no events. */
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
  if (!window || count === 0) {
    throw new ApiError("bad_request", "The range holds no events for this deployment", {
      from,
      to: requested.to,
    });
  }
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
