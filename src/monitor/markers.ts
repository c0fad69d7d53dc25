// After the Durable Objects accepted events: the deployments and release markers in D1,
// written by the queue consumer for its batch, and by the object's alarm for what its
// direct intake committed (intake.ts). The objects answer absolute values (first and
// last seen, each combination's total), so these upserts are idempotent: a redelivered
// batch, whose events the objects recognise as copies, writes the same values again.
import { releaseKey } from "../window/aggregate";
import type { IngestRequest, IngestResult, MonitorRef, ReleaseTotal } from "./ingest-request";

export function recordStatements(
  db: D1Database,
  requests: readonly IngestRequest[],
  results: readonly IngestResult[],
): D1PreparedStatement[] {
  const deployment = db.prepare(
    `INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (id) DO UPDATE SET
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen)`,
  );
  // NOTE: max, not the new value: batches of one deployment may finish out of order.
  const release = db.prepare(
    `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (deployment_id, model, provider, prompt_version, release) DO UPDATE SET
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen),
       event_count = max(event_count, excluded.event_count)`,
  );
  return requests.flatMap(({ monitor: m }, i) => {
    const result = results[i];
    // Probe runs neither create deployments nor mark releases (the objects answer none).
    if (!result?.seen || m.synthetic) return [];
    return [
      deployment.bind(
        m.deploymentId,
        m.projectId,
        m.environment,
        m.slug,
        result.seen.first,
        result.seen.last,
      ),
      ...result.releases.map((r) =>
        release.bind(
          m.deploymentId,
          r.model,
          r.provider,
          r.promptVersion,
          r.release,
          r.firstSeen,
          r.lastSeen,
          r.count,
        ),
      ),
    ];
  });
}

/**
 * What an object's alarm still owes D1 for its direct intake's commits (the consumer
 * writes its own batches'): owed after a commit, and at the first alarm after the object
 * starts (memory is all that says what D1 already has). A commit that brings a release
 * combination D1 lacks, or the first since the start, asks for the alarm at once: a new
 * deployment shows up in seconds, not at the next 30 s flush.
 */
export class OwedMarkers {
  private owed = true;
  private urgentAt: number | null = null;
  private readonly recorded = new Set<string>();

  /** Notes a commit; true when the alarm should be moved to now. */
  committed(result: IngestResult, now: number): boolean {
    this.owed = true;
    const unknown =
      this.recorded.size === 0 || result.releases.some((r) => !this.recorded.has(releaseKey(r)));
    if (!unknown || this.urgentAt !== null) return false;
    this.urgentAt = now;
    return true;
  }

  /** When the alarm must run for them (null: at its usual time). */
  dueAt(): number | null {
    return this.urgentAt;
  }

  /** Writes the deployment and its release totals (absolute) when owed. */
  async record(
    db: D1Database,
    monitor: MonitorRef,
    seen: { first: number; last: number } | null,
    releases: () => ReleaseTotal[],
  ): Promise<void> {
    if (!this.owed || monitor.synthetic || !seen) return;
    this.owed = false;
    this.urgentAt = null;
    const totals = releases();
    const result = { accepted: 0, duplicates: 0, dropped: 0, seen, releases: totals };
    try {
      await db.batch(recordStatements(db, [{ monitor, events: [] }], [result]));
      for (const r of totals) this.recorded.add(releaseKey(r));
    } catch (err) {
      this.owed = true;
      throw err;
    }
  }
}
