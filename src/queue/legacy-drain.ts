// Migration from the D1 events table (before exactly-once counting moved into the
// Durable Objects): each cron tick moves a bounded number of old rows into their
// deployments' objects and deletes them from D1, until the events and claims tables
// are empty (then a later migration drops them; see docs/operations.md).
//
// A row whose claim was closed is already counted in its deployment's windows; a row
// under an open claim is not, unless its object applied that claim token before the
// claim died. The object sorts that out (DeploymentMonitor.drainLegacy) and takes every
// row into its ledger, archive outbox and release totals. A pass that dies after the
// objects and before its D1 deletes is redone on the next tick: the objects recognise
// the rows by id and count nothing twice.
import { faultPoint } from "../fault-points";
import type { NormalizedEvent } from "../ingest/normalized";
import type { IngestRequest, LegacyDrainRequest } from "../monitor/ingest-request";
import { monitorIdOf } from "../monitor/monitor-id";
import { recordStatements } from "./record";
import { readTombstones, routeEvents } from "./route";

export interface DrainOptions {
  /** Rows per pass. */
  batch?: number;
  /** Wall time after which no further pass starts. */
  budgetMs?: number;
  clock?: () => number;
}

export interface DrainReport {
  moved: number;
  /** True when the legacy tables are empty. */
  done: boolean;
}

interface LegacyRow {
  rowid: number;
  project_id: string;
  received_at: number;
  data: string;
  claim: number;
  open: number;
}

/** One pass: the oldest `batch` rows; returns how many it moved. */
async function drainPass(env: Env, batch: number): Promise<number> {
  const { results: rows } = await env.DB.prepare(
    `SELECT e.rowid AS rowid, e.project_id, e.received_at, e.data, e.claim,
            EXISTS (SELECT 1 FROM claims c WHERE c.token = e.claim) AS open
     FROM events e ORDER BY e.rowid LIMIT ?`,
  )
    .bind(batch)
    .all<LegacyRow>();
  if (rows.length === 0) return 0;
  const claimOf = new Map<NormalizedEvent, number | null>();
  const messages = rows.map((r) => {
    const event = JSON.parse(r.data) as NormalizedEvent;
    claimOf.set(event, r.open ? r.claim : null);
    return { projectId: r.project_id, receivedAt: r.received_at, events: [event] };
  });
  const requests: IngestRequest[] = routeEvents(
    messages,
    await readTombstones(
      env.DB,
      rows.map((r) => r.project_id),
    ),
  );
  const results = await Promise.all(
    requests.map((r) => {
      const legacy: LegacyDrainRequest = {
        ...r,
        claims: r.events.map((e) => claimOf.get(e) ?? null),
      };
      return env.DEPLOYMENT_MONITOR.getByName(monitorIdOf(r.monitor)).drainLegacy(legacy);
    }),
  );
  faultPoint("legacy.delete", String(rows.length));
  const last = rows[rows.length - 1]?.rowid ?? 0;
  await env.DB.batch([
    ...recordStatements(env.DB, requests, results),
    env.DB.prepare("DELETE FROM events WHERE rowid <= ?").bind(last),
    env.DB.prepare(
      "DELETE FROM claims WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.claim = claims.token)",
    ),
  ]);
  return rows.length;
}

/** Moves legacy rows pass by pass until none are left or the budget is spent. */
export async function drainLegacyEvents(
  env: Env,
  { batch = 200, budgetMs = 5_000, clock = Date.now }: DrainOptions = {},
): Promise<DrainReport> {
  const started = clock();
  let moved = 0;
  while (clock() - started < budgetMs) {
    const n = await drainPass(env, batch);
    moved += n;
    if (n < batch) return { moved, done: true };
  }
  return { moved, done: false };
}
