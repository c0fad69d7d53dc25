// The dashboard's Spend page, server-rendered (no script): each budget's state with its
// forecast cone (spend so far, the 80 % interval to the period's end, the amount), spend per
// UTC day over 30 days with those budgets' lines, spend by deployment, model and release,
// the heaviest users of the busiest deployments, and how many interactions had no known
// cost. Charts scale to the width (spend-cards.tsx). Every string is escaped by JSX.
import { usd } from "../../alerts/budgets/budget-message";
import { DAY_MS } from "../../shared/time";
import { formatDay } from "../format";
import { Shell, type Viewer } from "./shell";
import {
  Breakdown,
  BudgetCone,
  chart,
  grid,
  STATE_ORDER,
  STATE_TEXT,
  TopSpenders,
} from "./spend-cards";
import { BREAKDOWN_ROWS, SPEND_DAYS, type SpendView } from "./spend-data";
import { spendBars } from "./spend-geometry";

export { spendView } from "./spend-data";

/** Budgets drawn with a cone (open alerts, then the most pressing); the table lists every one. */
export const CONES = 12;
export function SpendPage(props: { viewer: Viewer; view: SpendView }) {
  const { view } = props;
  const pressing = [...view.budgets]
    .sort(
      (a, b) =>
        Number(b.open.length > 0) - Number(a.open.length > 0) ||
        STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] ||
        b.status.expectedUsd / b.row.amountUsd - a.status.expectedUsd / a.row.amountUsd,
    )
    .slice(0, CONES);
  // The same budgets' lines on the daily chart: a monthly one at its average day.
  const lines = pressing.map(({ row, status }) => {
    const days = Math.max(1, Math.round((status.periodEnd - status.periodStart) / DAY_MS));
    const perDay = row.period === "day" ? row.amountUsd : row.amountUsd / days;
    const text =
      row.period === "day"
        ? `Budget "${row.name}": ${usd(perDay)} per day`
        : `Budget "${row.name}": ${usd(row.amountUsd)} per month, ${usd(perDay)} per day on average`;
    return { perDay, text };
  });
  const g = spendBars(
    view.days,
    lines.map((l) => l.perDay),
  );
  return (
    <Shell title="Spend" viewer={props.viewer}>
      <h1>Spend</h1>
      <p class="muted small">
        {view.unknownCostEvents} interactions in the last {SPEND_DAYS} days had no known cost (a
        model in neither the price table nor the project's overrides): not counted as $0.
      </p>
      <p class="muted small" data-prices={view.prices.asOf}>
        {`Events without a reported cost are priced at the built-in list prices as of ${view.prices.asOf} (${view.prices.ageDays} days ago) and this project's ${view.prices.overrides} price override${view.prices.overrides === 1 ? "" : "s"}: `}
        <code>GET /v1/prices</code> lists both; <code>PATCH /v1/projects/{"{id}"}</code> sets
        overrides.
      </p>
      <h2>Budgets</h2>
      {view.budgets.length === 0 ? (
        <p class="card muted">
          No budgets yet: <code>POST /v1/budgets</code> with an admin key sets one.
        </p>
      ) : (
        <>
          <p class="muted small">
            Each chart: spend so far (line), the forecast to the period's end (dashed) inside its 80
            % interval (shaded), and the amount (red dashes).
          </p>
          <div style={grid}>
            {pressing.map((b) => (
              <BudgetCone b={b} now={view.now} />
            ))}
          </div>
          <div class="card scroll" style="margin-top:14px;padding:4px 8px">
            <table>
              <thead>
                <tr>
                  <th scope="col">Budget</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Spent</th>
                  <th scope="col">Forecast (80 %)</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {view.budgets.map(({ row, status }) => (
                  <tr>
                    <td>{row.name}</td>
                    <td>
                      {usd(row.amountUsd)} per {row.period}
                    </td>
                    <td class="num">{usd(status.spentUsd)}</td>
                    <td class="num">
                      {usd(status.expectedUsd)} ({usd(status.lowUsd)}–{usd(status.highUsd)})
                    </td>
                    <td>{STATE_TEXT[status.state]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>By day (UTC), last {SPEND_DAYS} days</h2>
      <div class="card">
        <svg viewBox="0 0 600 160" style={chart} role="img" aria-label="Spend by day">
          <g style="fill:var(--accent)">
            {g.bars.map((b, i) => (
              <rect x={b.x} y={b.y} width={b.w} height={b.h}>
                <title>{`${formatDay(view.days[i]?.start ?? 0)}: ${usd(view.days[i]?.usd ?? 0)}`}</title>
              </rect>
            ))}
          </g>
          {g.lines.map((y, i) => (
            <line x1="0" x2="600" y1={y} y2={y} style="stroke:var(--out);stroke-dasharray:4 3">
              <title>{lines[i]?.text}</title>
            </line>
          ))}
        </svg>
      </div>
      <h2>Where it went, last {SPEND_DAYS} days</h2>
      <div style={grid}>
        <Breakdown
          title="By deployment"
          rows={view.byDeployment.slice(0, BREAKDOWN_ROWS)}
          empty="No spend."
        />
        <Breakdown title="By model" rows={view.byModel} empty="No spend with a known model." />
        <Breakdown title="By release" rows={view.byRelease} empty="No spend." />
      </div>
      <p class="muted small">
        By model is each deployment-hour's own cost per model (its 20 costliest, the rest under
        "other"; hours rolled up before that was kept are split by request share). A
        deployment-hour's cost goes to the newest release seen by the hour's end.
      </p>
      <h2>Top spenders, last 24 hours</h2>
      <TopSpenders view={view} />
      <p class="muted small">
        Sessions and tag values: <code>GET /v1/deployments/…/top-spenders?by=session</code> or{" "}
        <code>by=tag:&lt;key&gt;</code>.
      </p>
    </Shell>
  );
}
