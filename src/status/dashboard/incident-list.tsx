// The project's incidents, filtered by state, severity, deployment, release and time: a GET
// form (works without script; the filter lives in the link), one row per incident.
import { spendIncidentText } from "../../alerts/budgets/spend-incident-text";
import { formatWhen } from "../format";
import { releaseLabel } from "../incident-text";
import { incidentStateLabel } from "./incident-card-head";
import type { filteredIncidents } from "./incident-data";
import { LIST_LIMIT } from "./incident-data";
import {
  FILTER_SEVERITIES,
  FILTER_SINCE,
  FILTER_STATES,
  type IncidentFilter,
} from "./incident-filter";
import { ownerLink } from "./incident-owner";
import { Shell, type Viewer } from "./shell";

type Row = Awaited<ReturnType<typeof filteredIncidents>>["rows"][number];

const STATE_WORDS: Record<IncidentFilter["state"], string> = {
  all: "Any state",
  open: "Open",
  pending: "Pending",
  firing: "Firing (not acknowledged)",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};

export function IncidentListPage(props: {
  viewer: Viewer;
  filter: IncidentFilter;
  ignored: string[];
  rows: Row[];
  more: boolean;
  deployments: string[];
  ruleNames: ReadonlyMap<string, string>;
  now: number;
}) {
  const f = props.filter;
  return (
    <Shell title="Incidents" viewer={props.viewer}>
      <h1 style="margin:1rem 0 .5rem">Incidents</h1>
      <form method="get" action="/dashboard/incidents" class="card filters" aria-label="Filters">
        <label>
          State
          <select name="state">
            {FILTER_STATES.map((s) => (
              <option value={s} selected={s === f.state}>
                {STATE_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select name="severity">
            {FILTER_SEVERITIES.map((s) => (
              <option value={s} selected={s === f.severity}>
                {s === "any" ? "Any severity" : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Deployment
          <select name="deployment">
            <option value="">Any deployment</option>
            {props.deployments.map((d) => (
              <option value={d} selected={d === f.deployment}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          Release
          <input
            name="release"
            value={f.release}
            maxlength={128}
            placeholder="release, prompt version or model"
          />
        </label>
        <label>
          Active in the last
          <select name="since">
            {FILTER_SINCE.map((s) => (
              <option value={s} selected={s === f.since}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      {props.ignored.length > 0 ? (
        <p class="error" role="alert">
          Ignored (not a value this form offers): {props.ignored.join(", ")}.
        </p>
      ) : null}
      {props.rows.length === 0 ? (
        <p class="card muted">No incidents match these filters.</p>
      ) : (
        <div class="card scroll" style="padding:4px 8px">
          <table>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">State</th>
                <th scope="col">Deployment</th>
                <th scope="col">Release</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => {
                const i = r.incident;
                return (
                  <tr data-incident={i.id}>
                    <td>
                      <a href={`/dashboard/incidents/${i.id}`}>
                        {props.ruleNames.get(i.ruleId) ??
                          spendIncidentText(i.ruleId, r.budget?.name ?? null, i.lastCheck)?.title ??
                          i.ruleId}
                      </a>
                    </td>
                    <td>
                      {incidentStateLabel({ ...i, message: null })} · {i.severity}
                    </td>
                    <td>
                      {r.budget ? (
                        <a href={ownerLink({ deployment: null, budget: r.budget }).href}>
                          budget {r.budget.name}
                        </a>
                      ) : (
                        <>
                          {r.slug} <span class="muted small">{r.environment}</span>
                        </>
                      )}
                    </td>
                    <td class="small">{r.releaseInForce ? releaseLabel(r.releaseInForce) : "–"}</td>
                    <td class="num">{formatWhen(i.startedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {props.more ? (
        <p class="muted small">
          Showing the newest {LIST_LIMIT} that match before the release filter; narrow the filters
          to see older ones.
        </p>
      ) : null}
    </Shell>
  );
}
