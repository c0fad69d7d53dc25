// What the Spend page reads: the project's 1-hour rollups in D1 over the last 30 days (spend
// per UTC day, by deployment, by model, by release, interactions with no known cost), each
// budget's status with its period's hourly spend, and the heaviest users of the busiest
// deployments from their Durable Objects' top-k sketches (what GET …/top-spenders answers).
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { budgetOwnsIncident } from "../../alerts/incidents/incident-owner";
import {
  budgetsTable,
  deploymentsTable,
  incidentsTable,
  projectsTable,
  rollupsTable,
} from "../../db/schema";
import { PRICE_TABLE, priceTableAgeDays } from "../../ingest/prices";
import type { TopSpenders } from "../../monitor/spend-store";
import { DAY_MS, HOUR_MS } from "../../shared/time";
import { type BudgetRow, type BudgetStatus, budgetReading } from "../../spend/budget-status";
import type { HourSpend } from "../../spend/forecast";

export const SPEND_DAYS = 30;
/** Rows of each breakdown table. */
export const BREAKDOWN_ROWS = 10;
/** Deployments whose top users are shown (the busiest of the 30 days). */
export const TOP_SPENDER_DEPLOYMENTS = 3;

export interface Named {
  name: string;
  usd: number;
}

export interface DeploymentSpenders {
  deployment: string;
  /** The sketch merged over the last 24 hours; null when it holds none. */
  top: TopSpenders | null;
  /** The object did not answer (the page says so rather than "no spenders"). */
  failed: boolean;
}

/** A budget's pending or firing alert, linked from its card. */
export interface OpenAlert {
  id: string;
  ruleId: string;
  status: string;
  severity: string;
}

export interface SpendView {
  now: number;
  days: { start: number; usd: number }[];
  byDeployment: Named[];
  byModel: Named[];
  byRelease: Named[];
  budgets: { row: BudgetRow; status: BudgetStatus; hours: HourSpend[]; open: OpenAlert[] }[];
  unknownCostEvents: number;
  spenders: DeploymentSpenders[];
  /** The built-in price table's date and the project's price overrides. */
  prices: { asOf: string; ageDays: number; overrides: number };
}

async function all<T>(db: D1Database, query: string, ...binds: (string | number)[]) {
  return (
    await db
      .prepare(query)
      .bind(...binds)
      .all<T>()
  ).results;
}

/**
 * Spend by model over the range: each deployment-hour's own cost per model (`cost.by_model`
 * of its rollup, the costliest 20 models plus "other"); an hour rolled up before rollups kept
 * it is split by the model's share of its requests.
 */
const byModel = (db: D1Database, projectId: string, from: number) =>
  all<Named>(
    db,
    `SELECT name, SUM(usd) AS usd FROM (
       SELECT m.key AS name, m.value AS usd
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id,
         json_each(r.summary, '$.cost.by_model') m
       WHERE d.project_id = ?1 AND r.resolution = '1h' AND r.bucket_start >= ?2
         AND r.cost_usd > 0 AND json_type(r.summary, '$.cost.by_model') = 'object'
       UNION ALL
       SELECT m.key AS name, r.cost_usd * m.value / r.count AS usd
       FROM rollups r JOIN deployments d ON d.id = r.deployment_id,
         json_each(r.summary, '$.categories.model') m
       WHERE d.project_id = ?1 AND r.resolution = '1h' AND r.bucket_start >= ?2
         AND r.count > 0 AND r.cost_usd > 0 AND json_type(r.summary, '$.cost.by_model') IS NULL)
     GROUP BY name ORDER BY usd DESC LIMIT ${BREAKDOWN_ROWS}`,
    projectId,
    from,
  );

/**
 * Spend by release: each deployment-hour's cost goes to the newest release first seen on
 * that deployment before the hour ended (during a rollout hour, the new one); hours before
 * any release label count as "(no release)".
 */
const byRelease = (db: D1Database, projectId: string, from: number) =>
  all<{ environment: string; slug: string; release: string | null; usd: number }>(
    db,
    `SELECT d.environment AS environment, d.slug AS slug,
       (SELECT rel.release FROM releases rel
        WHERE rel.deployment_id = r.deployment_id AND rel.release != ''
          AND rel.first_seen < r.bucket_start + ${HOUR_MS}
        ORDER BY rel.first_seen DESC LIMIT 1) AS release,
       SUM(r.cost_usd) AS usd
     FROM rollups r JOIN deployments d ON d.id = r.deployment_id
     WHERE d.project_id = ?1 AND r.resolution = '1h' AND r.bucket_start >= ?2 AND r.cost_usd > 0
     GROUP BY 1, 2, 3 ORDER BY usd DESC LIMIT ${BREAKDOWN_ROWS}`,
    projectId,
    from,
  );

async function topUsers(env: Env, deploymentId: string, now: number) {
  const from = Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS;
  const monitor = env.DEPLOYMENT_MONITOR.getByName(deploymentId);
  try {
    return { top: await monitor.topSpenders("user", from, now + 1), failed: false };
  } catch (err) {
    console.error(`top spenders of ${deploymentId} failed`, err);
    return { top: null, failed: true };
  }
}

export async function spendView(env: Env, projectId: string, now: number): Promise<SpendView> {
  const db = env.DB;
  const d = drizzle(db);
  const from = Math.floor(now / DAY_MS) * DAY_MS - (SPEND_DAYS - 1) * DAY_MS;
  const hourly = and(
    eq(deploymentsTable.projectId, projectId),
    eq(rollupsTable.resolution, "1h"),
    gte(rollupsTable.bucketStart, from),
  );
  const [daily, deployments, models, releases, project, rows, alerts] = await Promise.all([
    d
      .select({
        day: sql<number>`(${rollupsTable.bucketStart} / ${DAY_MS}) * ${DAY_MS}`,
        usd: sql<number>`SUM(${rollupsTable.costUsd})`,
        unknown: sql<number>`SUM(COALESCE(json_extract(${rollupsTable.summary}, '$.cost.unknown_events'), 0))`,
      })
      .from(rollupsTable)
      .innerJoin(deploymentsTable, eq(deploymentsTable.id, rollupsTable.deploymentId))
      .where(hourly)
      .groupBy(sql`1`),
    d
      .select({
        id: deploymentsTable.id,
        environment: deploymentsTable.environment,
        slug: deploymentsTable.slug,
        usd: sql<number>`SUM(${rollupsTable.costUsd})`,
      })
      .from(rollupsTable)
      .innerJoin(deploymentsTable, eq(deploymentsTable.id, rollupsTable.deploymentId))
      .where(hourly)
      .groupBy(deploymentsTable.id)
      .orderBy(sql`4 DESC`),
    byModel(db, projectId, from),
    byRelease(db, projectId, from),
    d
      .select({ timeZone: projectsTable.timeZone, overrides: projectsTable.priceOverrides })
      .from(projectsTable)
      .where(eq(projectsTable.id, projectId)),
    d.select().from(budgetsTable).where(eq(budgetsTable.projectId, projectId)),
    d
      .select({
        budgetId: budgetsTable.id,
        id: incidentsTable.id,
        ruleId: incidentsTable.ruleId,
        status: incidentsTable.status,
        severity: incidentsTable.severity,
      })
      .from(incidentsTable)
      .innerJoin(budgetsTable, budgetOwnsIncident)
      .where(
        and(
          eq(incidentsTable.projectId, projectId),
          inArray(incidentsTable.status, ["pending", "firing"]),
        ),
      ),
  ]);
  const timeZone = project[0]?.timeZone ?? "UTC";
  const busiest = deployments.filter((r) => r.usd > 0).slice(0, TOP_SPENDER_DEPLOYMENTS);
  const [budgets, spenders] = await Promise.all([
    Promise.all(
      rows.map(async (row) => ({
        row,
        ...(await budgetReading(db, row, timeZone, now)),
        open: alerts.filter((a) => a.budgetId === row.id),
      })),
    ),
    Promise.all(
      busiest.map(async (r) => ({
        deployment: `${r.environment}/${r.slug}`,
        ...(await topUsers(env, r.id, now)),
      })),
    ),
  ]);
  const byDay = new Map(daily.map((r) => [r.day, r.usd]));
  return {
    now,
    days: Array.from({ length: SPEND_DAYS }, (_, i) => {
      const start = from + i * DAY_MS;
      return { start, usd: byDay.get(start) ?? 0 };
    }),
    byDeployment: deployments.map((r) => ({ name: `${r.environment}/${r.slug}`, usd: r.usd })),
    byModel: models,
    byRelease: releases.map((r) => ({
      name: `${r.environment}/${r.slug} ${r.release ?? "(no release)"}`,
      usd: r.usd,
    })),
    budgets,
    unknownCostEvents: daily.reduce((a, r) => a + r.unknown, 0),
    spenders,
    prices: {
      asOf: PRICE_TABLE.asOf,
      ageDays: priceTableAgeDays(now),
      overrides: Object.keys(project[0]?.overrides ?? {}).length,
    },
  };
}
