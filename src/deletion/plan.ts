// What deleting a project or a deployment removes from D1, as ordered DELETE steps of
// at most `limit` rows each. Order matters: deliveries are found through their
// incidents, so they go first; the deployments and projects rows go last (run.ts),
// after the Durable Objects they name are emptied.
//
// A deployment's id is `${projectId}:${environment}:${slug}` and project ids hold no
// ':', so a project's deployments are the id range [`${projectId}:`, `${projectId};`)
// (';' follows ':'), an index range on every deployment_id key.

import { deploymentPrefix, projectPrefix } from "../archive/layout";
import { syntheticMonitorOf } from "../monitor/monitor-id";

export type DeletionScope =
  | { kind: "project"; projectId: string }
  | { kind: "deployment"; projectId: string; deploymentId: string };

export interface DeletionStep {
  table: string;
  sql: string;
  params: unknown[];
}

/** Audit actions that stay when a project's audit log goes: the record of its deletion. */
export const DELETION_AUDIT_ACTIONS = ["project.delete", "project.deleted"] as const;

/** Tables deletion does not touch, and why. Every other table must have a step (tested). */
export const TABLES_WITHOUT_PROJECT_DATA: Record<string, string> = {
  claims: "legacy claim tokens and times (drained by src/queue/legacy-drain.ts), no project data",
  deletions: "the tombstone: ids and times only, dropped 14 days after completion",
  d1_migrations: "schema bookkeeping",
};

/**
 * Every binding that stores project data, and how deletion empties it. A storage binding
 * missing here fails test/deletion/deletion.test.ts.
 */
export const STORES_DELETED = {
  DB: "D1: the steps of deletionSteps, then the rows of TABLES_REMOVED_LAST",
  DEPLOYMENT_MONITOR: "each deployment's Durable Object and its synthetic sibling: destroy()",
  ARCHIVE: "R2: every object under archivePrefix(scope)",
} as const satisfies Partial<Record<keyof Env, string>>;

/** The R2 prefix holding the scope's archived events (a deployment id is project:env:slug). */
export function archivePrefix(scope: DeletionScope): string {
  if (scope.kind === "project") return projectPrefix(scope.projectId);
  const [project, environment, slug, ...more] = scope.deploymentId.split(":");
  // A malformed id must not widen the prefix to more than the deployment.
  if (project !== scope.projectId || !environment || !slug || more.length > 0) {
    throw new Error(`not a deployment id of project ${scope.projectId}: ${scope.deploymentId}`);
  }
  return deploymentPrefix({
    projectId: scope.projectId,
    environment,
    slug,
  });
}

/** Tables whose rows deletion removes in run.ts after the steps (and the Durable Objects). */
export const TABLES_REMOVED_LAST = ["deployments", "projects"] as const;

/** SQL matching `column` to the scope's deployments, and its parameters. */
function deploymentMatch(scope: DeletionScope, column: string): [string, unknown[]] {
  if (scope.kind === "deployment") return [`${column} = ?`, [scope.deploymentId]];
  return [`${column} >= ? AND ${column} < ?`, [`${scope.projectId}:`, `${scope.projectId};`]];
}

/** The D1 steps for a scope, in order; each deletes at most ?limit (bound last) rows. */
export function deletionSteps(scope: DeletionScope): DeletionStep[] {
  const p = scope.projectId;
  const byDeployment = (table: string, key = "rowid"): DeletionStep => {
    const [match, params] = deploymentMatch(scope, "deployment_id");
    return {
      table,
      sql: `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${match} LIMIT ?)`,
      params,
    };
  };
  const isProject = scope.kind === "project";
  const [incidentMatch, incidentParams] = deploymentMatch(scope, "i.deployment_id");
  const steps: DeletionStep[] = [
    {
      table: "deliveries",
      // A grouped notification carries one deployment's incidents.
      sql: isProject
        ? "DELETE FROM deliveries WHERE rowid IN (SELECT rowid FROM deliveries WHERE project_id = ? LIMIT ?)"
        : `DELETE FROM deliveries WHERE rowid IN (SELECT d.rowid FROM deliveries d
             WHERE d.project_id = ? AND EXISTS (SELECT 1 FROM json_each(d.incident_ids) j
               JOIN incidents i ON i.id = j.value WHERE ${incidentMatch}) LIMIT ?)`,
      params: isProject ? [p] : [p, ...incidentParams],
    },
    {
      // Written updates are found through their incidents, so they go before them.
      table: "incident_updates",
      sql: isProject
        ? "DELETE FROM incident_updates WHERE rowid IN (SELECT rowid FROM incident_updates WHERE project_id = ? LIMIT ?)"
        : `DELETE FROM incident_updates WHERE rowid IN (SELECT u.rowid FROM incident_updates u
             JOIN incidents i ON i.id = u.incident_id WHERE u.project_id = ? AND ${incidentMatch} LIMIT ?)`,
      params: isProject ? [p] : [p, ...incidentParams],
    },
    {
      table: "incidents",
      sql: `DELETE FROM incidents WHERE id IN (SELECT i.id FROM incidents i
              WHERE i.project_id = ? AND ${incidentMatch} LIMIT ?)`,
      params: [p, ...incidentParams],
    },
    {
      // Probe runs are found through their probes, so they go first.
      table: "probe_runs",
      sql: `DELETE FROM probe_runs WHERE rowid IN (SELECT r.rowid FROM probe_runs r
              JOIN probes p ON p.id = r.probe_id WHERE ${deploymentMatch(scope, "p.deployment_id")[0]} LIMIT ?)`,
      params: deploymentMatch(scope, "p.deployment_id")[1],
    },
    byDeployment("probes", "id"),
    byDeployment("check_results"),
    byDeployment("rollups"),
    // A deployment's probe runs roll up under its synthetic sibling's id (a project's
    // id range covers those already).
    ...(scope.kind === "deployment"
      ? [
          {
            table: "rollups",
            sql: "DELETE FROM rollups WHERE rowid IN (SELECT rowid FROM rollups WHERE deployment_id = ? LIMIT ?)",
            params: [syntheticMonitorOf(scope.deploymentId)],
          },
        ]
      : []),
    byDeployment("releases"),
    byDeployment("release_verdicts", "id"),
    {
      // Which key created the deployment (api/deployment-limit.ts): its share frees up.
      table: "deployment_creators",
      sql: `DELETE FROM deployment_creators WHERE rowid IN (SELECT rowid FROM deployment_creators
              WHERE project_id = ? ${isProject ? "" : "AND project_id || ':' || environment || ':' || slug = ?"} LIMIT ?)`,
      params: isProject ? [p] : [p, scope.deploymentId],
    },
    byDeployment("baselines", "id"),
    byDeployment("archive_expiry"),
    {
      table: "events",
      sql: isProject
        ? "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE project_id = ? LIMIT ?)"
        : `DELETE FROM events WHERE rowid IN (SELECT rowid FROM events
             WHERE project_id = ? AND deployment_id = ? LIMIT ?)`,
      params: isProject ? [p] : [p, scope.deploymentId],
    },
    {
      // A dead letter is a whole queue message of one project: it goes when it holds
      // any event of the scope.
      table: "dead_letters",
      sql: `DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters
              WHERE json_valid(body) AND body ->> '$.projectId' = ?
              ${
                isProject
                  ? ""
                  : `AND EXISTS (SELECT 1 FROM json_each(body, '$.events') e
                       WHERE (? || ':' || (e.value ->> '$.environment') || ':' ||
                              (e.value ->> '$.deployment')) = ?)`
              }
              LIMIT ?)`,
      params: isProject ? [p] : [p, p, scope.deploymentId],
    },
  ];
  if (!isProject) return steps;
  const byProject = (table: string, key = "rowid", extra = ""): DeletionStep => ({
    table,
    sql: `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE project_id = ? ${extra} LIMIT ?)`,
    params: [p],
  });
  const kept = DELETION_AUDIT_ACTIONS.map((a) => `'${a}'`).join(", ");
  return [
    ...steps,
    byProject("rules"),
    byProject("channels", "id"),
    byProject("budgets", "id"),
    byProject("user_share_rules", "id"),
    // A window names deployments by environment/slug, so it goes with its project.
    byProject("maintenances", "id"),
    byProject("status_subscribers", "id"),
    byProject("status_announcements"),
    byProject("dashboard_sessions", "hash"),
    byProject("api_keys", "id"),
    byProject("audit_log", "id", `AND action NOT IN (${kept})`),
  ];
}
