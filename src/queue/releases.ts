// D1 statements that record deployments and release change markers for a claim.
import type { DeploymentGroup } from "./aggregate";

/** Upserts each deployment and each model/provider/prompt/release combination seen. */
export function releaseUpserts(db: D1Database, groups: DeploymentGroup[]): D1PreparedStatement[] {
  const deployment = db.prepare(
    `INSERT INTO deployments (id, project_id, environment, slug, first_seen, last_seen)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (id) DO UPDATE SET
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen)`,
  );
  const release = db.prepare(
    `INSERT INTO releases (deployment_id, model, provider, prompt_version, release, first_seen, last_seen, event_count)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
     ON CONFLICT (deployment_id, model, provider, prompt_version, release) DO UPDATE SET
       first_seen = min(first_seen, excluded.first_seen),
       last_seen = max(last_seen, excluded.last_seen),
       event_count = event_count + excluded.event_count`,
  );
  return groups.flatMap((g) => [
    deployment.bind(g.deploymentId, g.projectId, g.environment, g.slug, g.firstTs, g.lastTs),
    ...g.releases.map((r) =>
      release.bind(
        g.deploymentId,
        r.model,
        r.provider,
        r.promptVersion,
        r.release,
        r.firstSeen,
        r.lastSeen,
        r.count,
      ),
    ),
  ]);
}
