// What the dashboard reads from D1: a project's deployments with their hourly rollups,
// open incidents, releases, latest drift checks and active baseline.
import { and, asc, desc, eq, gte, isNull, ne, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { inList } from "../../db/in-list";
import {
  baselinesTable,
  checkResultsTable,
  deploymentsTable,
  incidentsTable,
  releasesTable,
  rollupsTable,
} from "../../db/schema";
import type { HourRow } from "./series";

type Db = ReturnType<typeof drizzle>;

export async function projectDeployments(db: D1Database, projectId: string) {
  return drizzle(db)
    .select()
    .from(deploymentsTable)
    .where(eq(deploymentsTable.projectId, projectId))
    .orderBy(asc(deploymentsTable.environment), asc(deploymentsTable.slug));
}
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * Rollups since `from`, only the fields the charts draw (extracted in SQL): hourly, or the
 * 1-minute rows the Durable Object's alarm also writes (kept 48 hours) for the 6-hour chart.
 */
export async function hourRows(
  db: D1Database,
  deploymentIds: readonly string[],
  from: number,
  resolution: "1m" | "1h" = "1h",
) {
  if (deploymentIds.length === 0) return new Map<string, HourRow[]>();
  const rows = await drizzle(db)
    .select({
      deploymentId: rollupsTable.deploymentId,
      bucketStart: rollupsTable.bucketStart,
      count: rollupsTable.count,
      errorCount: rollupsTable.errorCount,
      feedbackUp: rollupsTable.feedbackUp,
      feedbackDown: rollupsTable.feedbackDown,
      latencyP50: rollupsTable.latencyP50,
      latencyP95: rollupsTable.latencyP95,
      costUsd: rollupsTable.costUsd,
      ttftP95: sql<unknown>`json_extract(${rollupsTable.summary}, '$.distributions.ttft_ms.p95')`,
      escalated: sql<unknown>`json_extract(${rollupsTable.summary}, '$.rates.escalated')`,
      outputP50: sql<unknown>`json_extract(${rollupsTable.summary}, '$.distributions.output_chars.p50')`,
      retrievalP50: sql<unknown>`json_extract(${rollupsTable.summary}, '$.distributions.retrieval_top_score.p50')`,
      evals: sql<
        string | null
      >`(SELECT json_group_object(key, json_extract(value, '$.mean')) FROM json_each(${rollupsTable.summary}, '$.distributions.evals'))`,
    })
    .from(rollupsTable)
    .where(
      and(
        inList(rollupsTable.deploymentId, [...deploymentIds]),
        eq(rollupsTable.resolution, resolution),
        gte(rollupsTable.bucketStart, from),
      ),
    )
    .orderBy(asc(rollupsTable.bucketStart));
  const out = new Map<string, HourRow[]>();
  for (const r of rows) {
    const evals = r.evals ? (JSON.parse(r.evals) as Record<string, unknown>) : {};
    const row: HourRow = {
      bucketStart: r.bucketStart,
      count: r.count,
      errorCount: r.errorCount,
      feedbackUp: r.feedbackUp,
      feedbackDown: r.feedbackDown,
      latencyP50: r.latencyP50,
      latencyP95: r.latencyP95,
      costUsd: r.costUsd,
      ttftP95: num(r.ttftP95),
      escalated: num(r.escalated),
      outputP50: num(r.outputP50),
      retrievalP50: num(r.retrievalP50),
      evals: Object.fromEntries(Object.entries(evals).map(([k, v]) => [k, num(v)])),
    };
    out.set(r.deploymentId, [...(out.get(r.deploymentId) ?? []), row]);
  }
  return out;
}

/**
 * Incidents shown: open ones (pending or firing) and those resolved since `since`, each with
 * its signal's metric (from its last check), which sets its impact.
 */
export async function recentIncidents(
  db: D1Database,
  projectId: string,
  deploymentIds: readonly string[],
  since: number,
) {
  if (deploymentIds.length === 0) return [];
  return drizzle(db)
    .select()
    .from(incidentsTable)
    .where(
      and(
        eq(incidentsTable.projectId, projectId),
        inList(incidentsTable.deploymentId, [...deploymentIds]),
        ne(incidentsTable.status, "inactive"),
        or(isNull(incidentsTable.resolvedAt), gte(incidentsTable.resolvedAt, since)),
      ),
    )
    .orderBy(desc(incidentsTable.startedAt))
    .then((rows) =>
      rows.map((r) => {
        const metric = (r.lastCheck as { metric?: unknown } | null)?.metric;
        return { ...r, metric: typeof metric === "string" ? metric : null };
      }),
    );
}

/** Release markers drawn per deployment page: the most recently seen, whatever clients sent. */
export const MARKED_RELEASES = 100;

/** The deployment's most recently seen releases (at most MARKED_RELEASES), oldest first. */
export async function deploymentReleases(db: D1Database, deploymentId: string) {
  const rows = await drizzle(db)
    .select()
    .from(releasesTable)
    .where(eq(releasesTable.deploymentId, deploymentId))
    .orderBy(desc(releasesTable.lastSeen))
    .limit(MARKED_RELEASES);
  return rows.sort((a, b) => a.firstSeen - b.firstSeen);
}

/** Each rule's latest check result within the last day. */
export async function latestChecks(db: D1Database, deploymentId: string, now: number) {
  const d: Db = drizzle(db);
  const latest = d
    .select({
      ruleId: checkResultsTable.ruleId,
      minute: sql<number>`max(${checkResultsTable.minute})`.as("m"),
    })
    .from(checkResultsTable)
    .where(
      and(
        eq(checkResultsTable.deploymentId, deploymentId),
        gte(checkResultsTable.minute, now - 86_400_000),
      ),
    )
    .groupBy(checkResultsTable.ruleId)
    .as("latest");
  return d
    .select({
      ruleId: checkResultsTable.ruleId,
      minute: checkResultsTable.minute,
      outcome: checkResultsTable.outcome,
      value: checkResultsTable.value,
      baselineValue: checkResultsTable.baselineValue,
      statistic: checkResultsTable.statistic,
      threshold: checkResultsTable.threshold,
      message: checkResultsTable.message,
    })
    .from(checkResultsTable)
    .innerJoin(
      latest,
      and(eq(latest.ruleId, checkResultsTable.ruleId), eq(latest.minute, checkResultsTable.minute)),
    )
    .where(eq(checkResultsTable.deploymentId, deploymentId))
    .orderBy(asc(checkResultsTable.ruleId));
}

export async function activeBaseline(db: D1Database, deploymentId: string) {
  const [row] = await drizzle(db)
    .select({
      id: baselinesTable.id,
      kind: baselinesTable.kind,
      label: baselinesTable.label,
      from: baselinesTable.from,
      to: baselinesTable.to,
      count: baselinesTable.count,
    })
    .from(baselinesTable)
    .where(and(eq(baselinesTable.deploymentId, deploymentId), eq(baselinesTable.active, true)));
  return row ?? null;
}
