// Loads what the public status page shows from D1: the project's page settings, its
// listed deployments, their incidents, daily traffic and the last day's hourly rollups.
import { and, eq, gte, isNull, ne, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { ReleaseRow } from "../alerts/evaluation/baseline-ranges";
import { maintenancesSince } from "../alerts/maintenance/maintenances";
import { inList } from "../db/in-list";
import {
  deploymentsTable,
  incidentsTable,
  incidentUpdatesTable,
  probeRunsTable,
  projectsTable,
  releasesTable,
  rollupsTable,
} from "../db/schema";
import { DAY_MS, HOUR_MS } from "../shared/time";
import { BAR_DAYS } from "./daily-bars";
import { buildStatusModel, type StatusModel } from "./page-model";

/** Releases read per deployment (most recently seen first). */
const RELEASES_PER_DEPLOYMENT = 20;

/** The enabled page at this address, or null (unknown and disabled pages look the same). */
export async function findStatusPage(db: D1Database, slug: string) {
  const [row] = await drizzle(db)
    .select({ id: projectsTable.id, settings: projectsTable.statusPage })
    .from(projectsTable)
    .where(eq(projectsTable.statusSlug, slug));
  if (!row?.settings?.enabled) return null;
  return { projectId: row.id, settings: row.settings };
}

export async function loadStatusModel(
  db: D1Database,
  slug: string,
  now: number,
): Promise<StatusModel | null> {
  const page = await findStatusPage(db, slug);
  if (!page) return null;
  const d = drizzle(db);
  const shown = page.settings.deployments;
  const all =
    shown.length === 0
      ? []
      : await d
          .select()
          .from(deploymentsTable)
          .where(
            and(
              eq(deploymentsTable.projectId, page.projectId),
              inList(deploymentsTable.slug, [...new Set(shown.map((s) => s.slug))]),
            ),
          );
  const deployments = all.filter((r) =>
    shown.some((s) => s.environment === r.environment && s.slug === r.slug),
  );
  const ids = deployments.map((r) => r.id);
  const barsFrom = now - BAR_DAYS * DAY_MS;
  // Windows over the bar range: running or ahead ones are shown, past ones mark incidents.
  const maintenancesRead = maintenancesSince(db, page.projectId, barsFrom);
  const probeDaysRead = probeDaysSince(db, page.projectId, page.settings.probes ?? [], barsFrom);
  if (ids.length === 0) {
    return buildStatusModel({
      ...page,
      now,
      deployments,
      incidents: [],
      trafficDays: new Map(),
      hours: [],
      releases: new Map(),
      maintenances: await maintenancesRead,
      probeDays: await probeDaysRead,
    });
  }
  const listed = and(
    eq(incidentsTable.projectId, page.projectId),
    inList(incidentsTable.deploymentId, ids),
    ne(incidentsTable.status, "inactive"),
    // A team can take an incident off its page (PATCH /v1/incidents/{id} public: false).
    eq(incidentsTable.public, true),
    or(isNull(incidentsTable.resolvedAt), gte(incidentsTable.resolvedAt, barsFrom)),
  );
  const [incidentRows, dayRows, hours, releaseRows, updates, maintenances] = await Promise.all([
    d
      .select({
        id: incidentsTable.id,
        deploymentId: incidentsTable.deploymentId,
        ruleId: incidentsTable.ruleId,
        status: incidentsTable.status,
        severity: incidentsTable.severity,
        metric: sql<string | null>`json_extract(${incidentsTable.lastCheck}, '$.metric')`,
        startedAt: incidentsTable.startedAt,
        firingAt: incidentsTable.firingAt,
        ackedAt: incidentsTable.ackedAt,
        resolvedAt: incidentsTable.resolvedAt,
        updatedAt: incidentsTable.updatedAt,
      })
      .from(incidentsTable)
      .where(listed),
    d
      .select({
        deploymentId: rollupsTable.deploymentId,
        day: sql<number>`(${rollupsTable.bucketStart} / ${DAY_MS}) * ${DAY_MS}`,
      })
      .from(rollupsTable)
      .where(
        and(
          inList(rollupsTable.deploymentId, ids),
          eq(rollupsTable.resolution, "1h"),
          gte(rollupsTable.bucketStart, barsFrom),
          sql`${rollupsTable.count} > 0`,
        ),
      )
      .groupBy(sql`1`, sql`2`),
    d
      .select({
        deploymentId: rollupsTable.deploymentId,
        bucketStart: rollupsTable.bucketStart,
        count: rollupsTable.count,
        latencyP95: rollupsTable.latencyP95,
        feedbackUp: rollupsTable.feedbackUp,
        feedbackDown: rollupsTable.feedbackDown,
      })
      .from(rollupsTable)
      .where(
        and(
          inList(rollupsTable.deploymentId, ids),
          eq(rollupsTable.resolution, "1h"),
          gte(rollupsTable.bucketStart, Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS),
        ),
      ),
    // The releases each deployment saw most recently: enough to name the change before an
    // incident, and a bounded read whatever labels clients sent.
    d
      .select()
      .from(releasesTable)
      .where(
        sql`rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER (
          PARTITION BY deployment_id ORDER BY last_seen DESC) AS n FROM releases
          WHERE ${inList(releasesTable.deploymentId, ids)}) WHERE n <= ${RELEASES_PER_DEPLOYMENT})`,
      ),
    d
      .select({
        id: incidentUpdatesTable.id,
        incidentId: incidentUpdatesTable.incidentId,
        status: incidentUpdatesTable.status,
        body: incidentUpdatesTable.body,
        createdAt: incidentUpdatesTable.createdAt,
      })
      .from(incidentUpdatesTable)
      .innerJoin(incidentsTable, eq(incidentsTable.id, incidentUpdatesTable.incidentId))
      .where(listed),
    maintenancesRead,
  ]);
  const trafficDays = new Map<string, Set<number>>();
  for (const r of dayRows) {
    const days = trafficDays.get(r.deploymentId) ?? new Set<number>();
    days.add(Number(r.day));
    trafficDays.set(r.deploymentId, days);
  }
  const releases = new Map<string, ReleaseRow[]>();
  for (const r of releaseRows) {
    releases.set(r.deploymentId, [...(releases.get(r.deploymentId) ?? []), r]);
  }
  return buildStatusModel({
    ...page,
    now,
    deployments,
    incidents: incidentRows,
    trafficDays,
    hours,
    releases,
    updates,
    maintenances,
    probeDays: await probeDaysRead,
  });
}

/** Runs per UTC day of the shown probes of this project: one grouped read, none without probes. */
async function probeDaysSince(
  db: D1Database,
  projectId: string,
  probes: readonly { id: string }[],
  from: number,
) {
  if (probes.length === 0) return [];
  // NOTE: the day length is written into the SQL: bound, it would be a REAL, and the
  // division with it would not round down to the day.
  const day = sql.raw(String(DAY_MS));
  return drizzle(db)
    .select({
      probeId: probeRunsTable.probeId,
      day: sql<number>`(${probeRunsTable.startedAt} / ${day}) * ${day}`,
      runs: sql<number>`count(*)`,
      passed: sql<number>`sum(${probeRunsTable.outcome} = 'pass')`,
    })
    .from(probeRunsTable)
    .where(
      and(
        eq(probeRunsTable.projectId, projectId),
        inList(
          probeRunsTable.probeId,
          probes.map((p) => p.id),
        ),
        gte(probeRunsTable.startedAt, from),
      ),
    )
    .groupBy(sql`1`, sql`2`);
}
