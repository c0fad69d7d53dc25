// The dashboard's Spend page: spend per UTC day over the last 30 days (server-rendered SVG,
// no script) with each daily budget's line, the project's spend by deployment, each budget's
// state with its forecast interval, and how many interactions had no known cost. Every
// string is escaped by JSX.
import { and, eq, gte, like, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { budgetsTable, deploymentsTable, projectsTable, rollupsTable } from "../../db/schema";
import { DAY_MS } from "../../shared/time";
import { type BudgetRow, type BudgetStatus, budgetStatus } from "../../spend/budget-status";
import { Shell, type Viewer } from "./shell";

const DAYS = 30;
const usd = (v: number) => `$${v.toFixed(2)}`;

export interface SpendView {
  days: { start: number; usd: number }[];
  byDeployment: { name: string; usd: number }[];
  budgets: { row: BudgetRow; status: BudgetStatus }[];
  unknownCostEvents: number;
}

/** Bar geometry for the days and the y of each daily budget line; pure. */
export function spendBars(days: SpendView["days"], lines: number[], width = 600, height = 160) {
  const max = Math.max(1e-9, ...days.map((d) => d.usd), ...lines);
  const step = width / Math.max(1, days.length);
  const y = (v: number) => height - (v / max) * height;
  return {
    bars: days.map((d, i) => ({ x: i * step, w: step * 0.8, y: y(d.usd), h: height - y(d.usd) })),
    lines: lines.map(y),
  };
}

export async function spendView(
  db: D1Database,
  projectId: string,
  now: number,
): Promise<SpendView> {
  const d = drizzle(db);
  const from = Math.floor(now / DAY_MS) * DAY_MS - (DAYS - 1) * DAY_MS;
  const inProject = like(rollupsTable.deploymentId, `${projectId}:%`);
  const hourly = and(
    inProject,
    eq(rollupsTable.resolution, "1h"),
    gte(rollupsTable.bucketStart, from),
  );
  const daily = await d
    .select({
      day: sql<number>`(${rollupsTable.bucketStart} / ${DAY_MS}) * ${DAY_MS}`,
      usd: sql<number>`SUM(${rollupsTable.costUsd})`,
      unknown: sql<number>`SUM(COALESCE(json_extract(${rollupsTable.summary}, '$.cost.unknown_events'), 0))`,
    })
    .from(rollupsTable)
    .where(hourly)
    .groupBy(sql`1`);
  const byDay = new Map(daily.map((r) => [r.day, r.usd]));
  const byDeployment = await d
    .select({
      environment: deploymentsTable.environment,
      slug: deploymentsTable.slug,
      usd: sql<number>`SUM(${rollupsTable.costUsd})`,
    })
    .from(rollupsTable)
    .innerJoin(deploymentsTable, eq(deploymentsTable.id, rollupsTable.deploymentId))
    .where(hourly)
    .groupBy(deploymentsTable.id)
    .orderBy(sql`3 DESC`);
  const [project] = await d
    .select({ timeZone: projectsTable.timeZone })
    .from(projectsTable)
    .where(eq(projectsTable.id, projectId));
  const rows = await d.select().from(budgetsTable).where(eq(budgetsTable.projectId, projectId));
  const budgets = await Promise.all(
    rows.map(async (row) => ({
      row,
      status: await budgetStatus(db, row, project?.timeZone ?? "UTC", now),
    })),
  );
  return {
    days: Array.from({ length: DAYS }, (_, i) => {
      const start = from + i * DAY_MS;
      return { start, usd: byDay.get(start) ?? 0 };
    }),
    byDeployment: byDeployment.map((r) => ({ name: `${r.environment}/${r.slug}`, usd: r.usd })),
    budgets,
    unknownCostEvents: daily.reduce((a, r) => a + r.unknown, 0),
  };
}

export function SpendPage(props: { viewer: Viewer; view: SpendView }) {
  const { view } = props;
  const dailyLines = view.budgets.filter((b) => b.row.period === "day");
  const g = spendBars(
    view.days,
    dailyLines.map((b) => b.row.amountUsd),
  );
  return (
    <Shell title="Spend" viewer={props.viewer}>
      <h1>Spend</h1>
      <p class="muted small">
        {view.unknownCostEvents} interactions in the last {DAYS} days had no known cost (a model in
        neither the price table nor the project's overrides): not counted as $0.
      </p>
      <h2>By day (UTC), last {DAYS} days</h2>
      <svg viewBox="0 0 600 160" width="600" height="160" role="img" aria-label="Spend by day">
        {g.bars.map((b, i) => (
          <rect x={b.x} y={b.y} width={b.w} height={b.h} class="bar">
            <title>{`${new Date(view.days[i]?.start ?? 0).toISOString().slice(0, 10)}: ${usd(view.days[i]?.usd ?? 0)}`}</title>
          </rect>
        ))}
        {g.lines.map((y, i) => (
          <line x1="0" x2="600" y1={y} y2={y} stroke="currentColor" stroke-dasharray="4 3">
            <title>{`Budget "${dailyLines[i]?.row.name}": ${usd(dailyLines[i]?.row.amountUsd ?? 0)} per day`}</title>
          </line>
        ))}
      </svg>
      <h2>Budgets</h2>
      <table>
        <thead>
          <tr>
            <th>Budget</th>
            <th>Amount</th>
            <th>Spent</th>
            <th>Forecast (80 %)</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {view.budgets.map(({ row, status }) => (
            <tr>
              <td>{row.name}</td>
              <td>
                {usd(row.amountUsd)} per {row.period}
              </td>
              <td>{usd(status.spentUsd)}</td>
              <td>
                {usd(status.expectedUsd)} ({usd(status.lowUsd)}–{usd(status.highUsd)})
              </td>
              <td>{status.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>By deployment, last {DAYS} days</h2>
      <table>
        <tbody>
          {view.byDeployment.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{usd(r.usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Shell>
  );
}
