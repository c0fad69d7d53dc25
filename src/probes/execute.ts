// The cron tick's probe step. Due probes are claimed atomically (so overlapping ticks
// never run one twice), then run with bounded concurrency, each after a jitter derived
// from its id so probes spread over the first seconds of the minute instead of all
// firing at once. Projects take turns (dueInTurns), so no tenant's many probes delay
// another's. Each run is stored, sent as a synthetic event, and steps the probe's
// incident; any failure stays with its own probe.
import { uuid7 } from "../../packages/sdk/src/uuid7";
import { fnv1a64 } from "../alerts/incidents/incident-machine";
import type { probesTable } from "../db/schema";
import { checkOutboundUrl } from "../net/outbound-url";
import { outboundOptions } from "../net/public-origin";
import { enqueueEvents } from "../queue/enqueue";
import { forEachBounded } from "../shared/bounded";
import { MINUTE_MS, minuteOf } from "../shared/time";
import { updateProbeIncident } from "./probe-incidents";
import { type ProbeDefinition, ProbeDefinitionSchema } from "./probe-schema";
import { blockedRun, type RunResult, runProbe } from "./run-probe";
import { insertRun } from "./run-store";
import { syntheticEvent } from "./synthetic-event";

/** Requests in flight at once (Workers allow six open connections per invocation). */
export const PROBE_CONCURRENCY = 6;
/** Probes one tick runs (taken fairly across projects); the rest stay due and run next minute. */
export const PROBES_PER_TICK = 100;
/** Start offsets spread over this window (plus a 30 s timeout, inside the minute). */
export const MAX_JITTER_MS = 20_000;

export type ProbeRow = typeof probesTable.$inferSelect;

export interface ProbeTickOptions {
  maxJitterMs?: number;
  concurrency?: number;
  fetcher?: typeof fetch;
}

export interface ProbeTickResult {
  ran: { probeId: string; runId: string; outcome: RunResult["outcome"] }[];
  failed: string[];
}

/** A stable offset in [0, max) per probe: the same second every minute, different per probe. */
export const jitterOf = (probeId: string, max: number) =>
  max <= 0 ? 0 : Number(BigInt(`0x${fnv1a64(probeId)}`) % BigInt(max));

/**
 * The order a tick starts its probes in: by turn (each project's first probe, then each
 * project's second, as claimed), then by jitter offset. Sorting by offset alone would let
 * a project's many probes (each holding a connection up to its timeout) start before
 * another project's single one, late in the minute.
 */
export function startOrder<R extends { id: string; projectId: string }>(
  rows: readonly R[],
  maxJitterMs: number,
): { row: R; offset: number }[] {
  const seen = new Map<string, number>();
  return rows
    .map((row) => {
      const turn = seen.get(row.projectId) ?? 0;
      seen.set(row.projectId, turn + 1);
      return { row, turn, offset: jitterOf(row.id, maxJitterMs) };
    })
    .sort((a, b) => a.turn - b.turn || a.offset - b.offset)
    .map(({ row, offset }) => ({ row, offset }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The due probes one tick takes, fair across projects: each project's due probes in the
 * order they fell due, then taken in turns (every project's first, then every project's
 * second, …). A project with 1,000 due probes so cannot keep another project's single
 * probe waiting: that one is among the first of the next tick, whatever the others hold.
 */
async function dueInTurns(db: D1Database, minute: number, limit: number): Promise<ProbeRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, project_id, deployment_id, definition, secret_headers, enabled, next_run_at,
              created_at, updated_at
       FROM (SELECT *, row_number() OVER (
               PARTITION BY project_id ORDER BY next_run_at, id) AS turn
             FROM probes WHERE enabled = 1 AND next_run_at <= ?1)
       ORDER BY turn, next_run_at, id
       LIMIT ?2`,
    )
    .bind(minute, limit)
    .all<{
      id: string;
      project_id: string;
      deployment_id: string;
      definition: string;
      secret_headers: string;
      enabled: number;
      next_run_at: number;
      created_at: number;
      updated_at: number;
    }>();
  return results.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    deploymentId: r.deployment_id,
    definition: JSON.parse(r.definition) as Record<string, unknown>,
    secretHeaders: JSON.parse(r.secret_headers) as Record<string, string>,
    enabled: r.enabled === 1,
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Claims due probes: moves next_run_at forward only where no other tick has. */
export async function claimDue(
  db: D1Database,
  minute: number,
  limit = PROBES_PER_TICK,
): Promise<ProbeRow[]> {
  const due = await dueInTurns(db, minute, limit);
  if (due.length === 0) return [];
  const claim = db.prepare(
    "UPDATE probes SET next_run_at = ?1 WHERE id = ?2 AND next_run_at = ?3 RETURNING id",
  );
  const results = await db.batch<{ id: string }>(
    due.map((p) => {
      const interval =
        Number((p.definition as { interval_minutes?: unknown }).interval_minutes) || 1;
      return claim.bind(minute + interval * MINUTE_MS, p.id, p.nextRunAt);
    }),
  );
  const claimed = new Set(results.flatMap((r) => r.results.map((row) => row.id)));
  return due.filter((p) => claimed.has(p.id));
}

/** Runs one probe end to end; throws only on storage failures (its own probe's). */
export async function runOneProbe(
  env: Env,
  row: ProbeRow,
  minute: number,
  fetcher?: typeof fetch,
): Promise<RunResult> {
  const definition: ProbeDefinition = ProbeDefinitionSchema.parse(row.definition);
  const startedAt = Date.now();
  const runId = uuid7(startedAt);
  // Checked again here: the rules may be stricter where the probe runs than where it was made.
  const target = checkOutboundUrl(definition.url, outboundOptions(env));
  const run = target.ok
    ? await runProbe(definition, row.secretHeaders, { runId, ...(fetcher ? { fetcher } : {}) })
    : blockedRun(runId, startedAt, target.reason);
  await insertRun(env.DB, row.id, row.projectId, run);
  await enqueueEvents(env.TELEMETRY, row.projectId, Date.now(), [
    syntheticEvent(row.id, definition, run),
  ]);
  await updateProbeIncident(
    env,
    { id: row.id, projectId: row.projectId, deploymentId: row.deploymentId, definition },
    run,
    minute,
  );
  return run;
}

export async function runDueProbes(
  env: Env,
  scheduledTime: number,
  opts: ProbeTickOptions = {},
): Promise<ProbeTickResult> {
  const maxJitter = opts.maxJitterMs ?? MAX_JITTER_MS;
  const minute = minuteOf(scheduledTime);
  const probes = startOrder(await claimDue(env.DB, minute), maxJitter);
  const tickStart = Date.now();
  const out: ProbeTickResult = { ran: [], failed: [] };
  // Each probe catches its own failure, so one slow or failing probe holds only its slot.
  await forEachBounded(probes, opts.concurrency ?? PROBE_CONCURRENCY, async ({ row, offset }) => {
    try {
      // Offsets count from the tick's start, not from the previous run's end.
      const wait = tickStart + offset - Date.now();
      if (wait > 0) await sleep(wait);
      const run = await runOneProbe(env, row, minute, opts.fetcher);
      out.ran.push({ probeId: row.id, runId: run.id, outcome: run.outcome });
    } catch (err) {
      // NOTE: the error names the probe only; its headers (secrets) are never logged.
      console.error(
        `probe ${row.id} failed to run`,
        err instanceof Error ? err.message : String(err),
      );
      out.failed.push(row.id);
    }
  });
  return out;
}
