// Probe run history in D1: one row per run, bounded per probe by age and by count, read
// newest first with a cursor.
import { and, desc, eq, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { probeRunsTable } from "../db/schema";
import { DAY_MS } from "../shared/time";
import type { RunOutcome } from "./assertions";
import type { RunResult } from "./run-probe";

/** Runs older than this are deleted. */
export const RUN_RETENTION_MS = 30 * DAY_MS;
/** At most this many runs are kept per probe (a 1-minute probe keeps ~1.4 days). */
export const MAX_RUNS_PER_PROBE = 2_000;

export type ProbeRunRow = typeof probeRunsTable.$inferSelect;

export async function insertRun(
  db: D1Database,
  probeId: string,
  projectId: string,
  run: RunResult,
): Promise<void> {
  const row: ProbeRunRow = {
    id: run.id,
    probeId,
    projectId,
    startedAt: run.startedAt,
    outcome: run.outcome,
    httpStatus: run.httpStatus,
    latencyMs: run.latencyMs,
    ttftMs: run.ttftMs,
    score: run.score,
    error: run.error,
    assertions: run.results as unknown as Record<string, unknown>[],
    answerExcerpt: run.answerExcerpt,
  };
  await drizzle(db).insert(probeRunsTable).values(row).onConflictDoNothing();
  // Bounded retention, trimmed as runs are added: by age, then by count.
  await db
    .prepare(
      `DELETE FROM probe_runs WHERE probe_id = ?1 AND (started_at < ?2 OR started_at < (
         SELECT started_at FROM probe_runs WHERE probe_id = ?1
         ORDER BY started_at DESC LIMIT 1 OFFSET ?3))`,
    )
    .bind(probeId, run.startedAt - RUN_RETENTION_MS, MAX_RUNS_PER_PROBE - 1)
    .run();
}

/** The latest `n` outcomes of a probe, newest first. */
export async function recentOutcomes(
  db: D1Database,
  probeId: string,
  n: number,
): Promise<RunOutcome[]> {
  const rows = await drizzle(db)
    .select({ outcome: probeRunsTable.outcome })
    .from(probeRunsTable)
    .where(eq(probeRunsTable.probeId, probeId))
    .orderBy(desc(probeRunsTable.startedAt), desc(probeRunsTable.id))
    .limit(n);
  return rows.map((r) => r.outcome);
}

export interface RunCursor {
  startedAt: number;
  id: string;
}

export const encodeCursor = (c: RunCursor) =>
  btoa(JSON.stringify([c.startedAt, c.id])).replace(/=+$/, "");

export function decodeCursor(text: string): RunCursor | null {
  try {
    const [startedAt, id] = JSON.parse(atob(text)) as unknown[];
    if (typeof startedAt === "number" && typeof id === "string") return { startedAt, id };
  } catch {
    // fall through: not a cursor we made
  }
  return null;
}

/** One page of runs, newest first, strictly after `cursor`. */
export async function listRuns(
  db: D1Database,
  probeId: string,
  limit: number,
  cursor: RunCursor | null,
) {
  const after = cursor
    ? or(
        lt(probeRunsTable.startedAt, cursor.startedAt),
        and(eq(probeRunsTable.startedAt, cursor.startedAt), lt(probeRunsTable.id, cursor.id)),
      )
    : undefined;
  const rows = await drizzle(db)
    .select()
    .from(probeRunsTable)
    .where(and(eq(probeRunsTable.probeId, probeId), after))
    .orderBy(desc(probeRunsTable.startedAt), desc(probeRunsTable.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { runs: page, next: rows.length > limit && last ? encodeCursor(last) : null };
}
