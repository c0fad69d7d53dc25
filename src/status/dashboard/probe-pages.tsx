// The dashboard's probe pages: the project's probes with their latest outcome, and one
// probe's definition (secrets masked), runs with each assertion's result and the answer's
// excerpt, and its incidents. Alerts of a probe link to its page. Every string is escaped
// by JSX; no script.

import { formatMs, formatWhen } from "../format";
import { IncidentCardHead } from "./incident-card-head";
import { incidentTimesText } from "./incident-times";
import type { ProbeSummary } from "./probe-data";
import { Shell, type Viewer } from "./shell";

export interface ProbeRunView {
  id: string;
  startedAt: number;
  outcome: string;
  httpStatus: number | null;
  latencyMs: number | null;
  ttftMs: number | null;
  score: number | null;
  error: string | null;
  assertions: Record<string, unknown>[];
  answerExcerpt: string | null;
}

export interface ProbeIncidentView {
  id: string;
  status: string;
  severity: string;
  startedAt: number;
  firingAt: number | null;
  resolvedAt: number | null;
  ackedAt: number | null;
  message: string | null;
}

const OUTCOME_CLASS: Record<string, string> = {
  pass: "ok",
  degraded: "na",
  fail: "fail",
  error: "fail",
};

const probePath = (id: string) => `/dashboard/probes/${encodeURIComponent(id)}`;
const deploymentPath = (d: { environment: string; deployment: string }) =>
  `/dashboard/d/${encodeURIComponent(d.environment)}/${encodeURIComponent(d.deployment)}`;

const text = (v: unknown) =>
  typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);

function Outcome({ outcome }: { outcome: string | null }) {
  if (outcome === null) return <span class="muted">no run yet</span>;
  return (
    <span class={OUTCOME_CLASS[outcome] ?? "na"} data-outcome={outcome}>
      {outcome}
    </span>
  );
}

export function ProbesPage(props: { viewer: Viewer; probes: ProbeSummary[] }) {
  return (
    <Shell title="Probes" viewer={props.viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href="/dashboard">← All deployments</a>
      </p>
      <h1>Probes</h1>
      <p class="muted small">
        Scheduled known questions to your AI endpoint, checked like real traffic.{" "}
        <a href="/dashboard/settings/probes">Probe settings</a>
      </p>
      {props.probes.length === 0 ? (
        <p class="card muted">
          No probes in this project (create one in Probe settings or with POST /v1/probes).
        </p>
      ) : (
        <div class="card scroll" style="padding:4px 8px">
          <table>
            <thead>
              <tr>
                <th scope="col">Probe</th>
                <th scope="col">Deployment</th>
                <th scope="col">Target</th>
                <th scope="col">Every</th>
                <th scope="col">Latest run</th>
              </tr>
            </thead>
            <tbody>
              {props.probes.map((p) => (
                <tr data-probe={p.id}>
                  <td>
                    <a href={probePath(p.id)}>{p.definition.name}</a>
                    {p.enabled ? null : <div class="muted small">paused</div>}
                  </td>
                  <td>
                    <a href={deploymentPath(p.definition)}>{p.definition.deployment}</a>
                    <div class="muted small">{p.definition.environment}</div>
                  </td>
                  <td class="small">
                    {p.definition.method} {p.url}
                  </td>
                  <td class="num">{p.definition.interval_minutes} min</td>
                  <td>
                    <Outcome outcome={p.lastOutcome} />
                    {p.lastRunAt === null ? null : (
                      <div class="muted small">{formatWhen(p.lastRunAt)}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Shell>
  );
}

function assertionText(a: ProbeSummary["definition"]["assertions"][number]): string {
  const { type, negate, weight, ...rest } = a as Record<string, unknown>;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
  const w = weight === undefined || weight === 1 ? "" : ` (weight ${text(weight)})`;
  return `${negate ? "not " : ""}${text(type)}${extra}${w}`;
}

function RunRow({ run }: { run: ProbeRunView }) {
  return (
    <tr data-run={run.id} id={`run-${run.id}`}>
      <td class="small">{formatWhen(run.startedAt)}</td>
      <td>
        <Outcome outcome={run.outcome} />
      </td>
      <td class="num">{run.httpStatus ?? "–"}</td>
      <td class="num">{formatMs(run.latencyMs)}</td>
      <td class="num">{formatMs(run.ttftMs)}</td>
      <td class="num">{run.score === null ? "–" : run.score.toFixed(2)}</td>
      <td class="small">
        {run.error ? (
          <p class="fail" style="margin:0">
            {run.error}
          </p>
        ) : null}
        {run.assertions.length > 0 ? (
          <details>
            <summary>
              {run.assertions.filter((a) => a.result === "fail").length} of {run.assertions.length}{" "}
              assertions failed
            </summary>
            <ul class="assertions">
              {run.assertions.map((a) => (
                <li data-result={text(a.result)}>
                  <b>{text(a.result)}</b> {text(a.expected)}
                  {a.observed === null || a.observed === undefined ? null : (
                    <span class="muted"> (observed {JSON.stringify(a.observed)})</span>
                  )}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {run.answerExcerpt ? <blockquote class="excerpt">{run.answerExcerpt}</blockquote> : null}
      </td>
    </tr>
  );
}

function IncidentItem({ i, probe }: { i: ProbeIncidentView; probe: ProbeSummary }) {
  const at = `${deploymentPath(probe.definition)}?incident=${encodeURIComponent(i.id)}#alert`;
  return (
    <article class="card" id={`incident-${i.id}`} data-incident={i.id}>
      <IncidentCardHead title={probe.definition.name} i={i} />
      <p class="muted small" style="margin:.3rem 0 0">
        {incidentTimesText({ ...i, silencedUntil: null }, Date.now())} ·{" "}
        <a href={at}>on the deployment's page</a>
      </p>
    </article>
  );
}

export function ProbePage(props: {
  viewer: Viewer;
  probe: ProbeSummary;
  runs: ProbeRunView[];
  next: string | null;
  incidents: ProbeIncidentView[];
}) {
  const { probe: p, runs, incidents } = props;
  const d = p.definition;
  return (
    <Shell title={`Probe ${d.name}`} viewer={props.viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href="/dashboard/probes">← All probes</a>
      </p>
      <div class="row" style="margin-bottom:1rem">
        <h1>{d.name}</h1>
        <Outcome outcome={p.lastOutcome} />
      </div>
      <section aria-labelledby="definition" class="card small">
        <h2 id="definition" class="sr">
          Definition
        </h2>
        <p style="margin:0">
          <b>{d.method}</b> <code>{p.url}</code>
        </p>
        <p style="margin:.3rem 0 0">
          Feeds <a href={deploymentPath(d)}>{d.deployment}</a> ({d.environment}) · every{" "}
          {d.interval_minutes} min · timeout {formatMs(d.timeout_ms)} ·{" "}
          {p.enabled ? `next run ${formatWhen(p.nextRunAt)}` : "paused"} · alerts after{" "}
          {d.alert.consecutive} failing run{d.alert.consecutive === 1 ? "" : "s"} in a row
          {d.alert.failures !== undefined && d.alert.runs !== undefined
            ? ` or ${d.alert.failures} of the last ${d.alert.runs}`
            : ""}{" "}
          ({d.alert.severity})
        </p>
        {d.assertions.length > 0 ? (
          <ul class="assertions" style="margin:.4rem 0 0">
            {d.assertions.map((a) => (
              <li>{assertionText(a)}</li>
            ))}
          </ul>
        ) : (
          <p class="muted" style="margin:.3rem 0 0">
            No assertions: a 2xx answer passes.
          </p>
        )}
      </section>
      <section aria-labelledby="probe-incidents">
        <h2 id="probe-incidents">Incidents</h2>
        {incidents.length === 0 ? (
          <p class="card muted">No incidents.</p>
        ) : (
          <div class="stack">
            {incidents.map((i) => (
              <IncidentItem i={i} probe={p} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="runs">
        <h2 id="runs">Runs</h2>
        {runs.length === 0 ? (
          <p class="card muted">No runs yet (the cron tick runs due probes every minute).</p>
        ) : (
          <div class="card scroll" style="padding:4px 8px">
            <table>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">HTTP</th>
                  <th scope="col">Latency</th>
                  <th scope="col">TTFT</th>
                  <th scope="col">Score</th>
                  <th scope="col">Assertions and answer</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <RunRow run={r} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.next ? (
          <p class="small">
            <a href={`${probePath(p.id)}?cursor=${encodeURIComponent(props.next)}`}>Older runs →</a>
          </p>
        ) : null}
      </section>
    </Shell>
  );
}
