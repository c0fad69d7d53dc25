// After the Durable Objects accepted events: the deployments and release markers in D1,
// written by the queue consumer for its batch, and by the object's alarm for what its
// direct intake committed (intake.ts). The objects answer absolute values (first and
// last seen, each combination's total), so these upserts are idempotent: a redelivered
// batch, whose events the objects recognise as copies, writes the same values again.
import type { IngestRequest, IngestResult } from "./ingest-request";

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
