// The Spend page's cards: a budget's forecast cone with its state and open alerts, a
// breakdown table, and a deployment's heaviest users from its top-k sketch. Every string is
// escaped by JSX; colours are the stylesheet's variables (light and dark).
import { scopeText } from "../../alerts/budgets/budget-incidents";
import { localDate, usd } from "../../alerts/budgets/budget-message";
import type { BudgetState } from "../../spend/budget-status";
import { type Named, SPEND_DAYS, type SpendView } from "./spend-data";
import { forecastCone } from "./spend-geometry";

/** Users listed per deployment. */
const TOP_USERS = 5;

export const STATE_ORDER: Record<BudgetState, number> = { exceeded: 0, at_risk: 1, ok: 2 };
export const STATE_TEXT: Record<BudgetState, string> = {
  exceeded: "exceeded",
  at_risk: "at risk",
  ok: "on track",
};
/** A budget alert's kind (the rule id's last part), as its card names it. */
const ALERT_TEXT: Record<string, string> = {
  fast: "fast burn",
  slow: "slow burn",
  forecast: "forecast above the amount",
};
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
export const chart = "width:100%;height:auto;display:block";
export const grid =
  "display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:14px";

type Budget = SpendView["budgets"][number];

export function BudgetCone({ b, now }: { b: Budget; now: number }) {
  const { row, status } = b;
  const c = forecastCone({ ...status, hours: b.hours, amountUsd: row.amountUsd, now });
  return (
    <article class="card" id={`budget-${row.id}`} data-state={status.state}>
      <h3 style="margin:0">{row.name}</h3>
      <p class="muted small" style="margin:.2rem 0 .4rem">
        {usd(row.amountUsd)} per {row.period} · {scopeText(row)} ·{" "}
        <b class={status.state === "ok" ? "ok" : "fail"}>{STATE_TEXT[status.state]}</b>
      </p>
      <svg
        viewBox="0 0 300 90"
        style={chart}
        role="img"
        aria-label={`Spent ${usd(status.spentUsd)}; forecast ${usd(status.expectedUsd)} (80 %: ${usd(status.lowUsd)} to ${usd(status.highUsd)}) against ${usd(row.amountUsd)}`}
      >
        <polygon points={c.cone} style="fill:var(--accent);opacity:.2" />
        <line
          x1={c.nowX}
          y1={c.spentY}
          x2="300"
          y2={c.endY}
          style="stroke:var(--accent);stroke-dasharray:4 3"
        />
        <polyline points={c.spent} style="fill:none;stroke:var(--accent);stroke-width:2" />
        <line
          x1="0"
          x2="300"
          y1={c.amountY}
          y2={c.amountY}
          style="stroke:var(--out);stroke-dasharray:6 4"
        />
      </svg>
      <p class="small" style="margin:.4rem 0 0">
        Spent {usd(status.spentUsd)}; forecast {usd(status.expectedUsd)} (80 %: {usd(status.lowUsd)}
        –{usd(status.highUsd)}) by {localDate(status.periodEnd, status.timeZone)}
        {status.runsOutAt === null
          ? ""
          : `; runs out ${localDate(status.runsOutAt, status.timeZone)}`}
        .
      </p>
      {b.open.length > 0 ? (
        <p class="small" style="margin:.3rem 0 0">
          Open alerts:{" "}
          {b.open.map((a, i) => (
            <>
              {i > 0 ? ", " : ""}
              <a href={`/dashboard/incidents/${a.id}`} class="fail">
                {ALERT_TEXT[a.ruleId.slice(a.ruleId.lastIndexOf(":") + 1)] ?? a.ruleId} ({a.status},{" "}
                {a.severity})
              </a>
            </>
          ))}
        </p>
      ) : null}
    </article>
  );
}

export function Breakdown(props: { title: string; rows: Named[]; empty: string }) {
  return (
    <section class="card" style="min-width:0">
      <h3 style="margin:0 0 .3rem">{props.title}</h3>
      {props.rows.length === 0 ? (
        <p class="muted small">{props.empty}</p>
      ) : (
        <table>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td style="overflow-wrap:anywhere">{r.name}</td>
                <td class="num">{usd(r.usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function TopSpenders({ view }: { view: SpendView }) {
  if (view.spenders.length === 0) {
    return <p class="card muted">No deployment had spend in the last {SPEND_DAYS} days.</p>;
  }
  return (
    <div style={grid}>
      {view.spenders.map(({ deployment, top, failed }) => (
        <section class="card" style="min-width:0" data-spenders={deployment}>
          <h3 style="margin:0 0 .3rem">{deployment}</h3>
          {!top || top.entries.length === 0 ? (
            <p class="muted small">
              {failed
                ? "Not available now (the deployment's monitor did not answer)."
                : "No spend by identified users in the last 24 hours."}
            </p>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">User (hashed)</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {top.entries.slice(0, TOP_USERS).map((e) => (
                    <tr>
                      <td title={e.key}>
                        <code>{e.key.length > 12 ? `${e.key.slice(0, 12)}…` : e.key}</code>
                      </td>
                      <td class="num">{usd(e.weight)}</td>
                      <td class="num">{pct(top.total > 0 ? e.weight / top.total : 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p class="muted small" style="margin:.3rem 0 0">
                Of {usd(top.total)} by identified users.{" "}
                {top.decrement > 0
                  ? `Each cost is at most ${usd(top.decrement)} below the truth (the sketch's bound).`
                  : "Exact (fewer users than the sketch's 32 counters)."}
              </p>
            </>
          )}
        </section>
      ))}
    </div>
  );
}
