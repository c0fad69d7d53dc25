// One deployment: its incidents (with acknowledge, silence and updates for admins), quality charts
// with release markers, the current drift checks and the baseline they compare against.

import { formatWhen } from "../format";
import { type ComponentState, STATE_LABELS } from "../state";
import { type CheckRowView, ChecksTable } from "./checks-table";
import { IncidentCardHead } from "./incident-card-head";
import { changeGroups } from "./incident-change-groups";
import { IncidentExplanation, type IncidentExplanationView } from "./incident-explanation";
import { incidentTimesText } from "./incident-times";
import { LineChart, type LineChartProps } from "./line-chart";
import { Shell, type Viewer } from "./shell";
import { UpdateForm } from "./update-form";

export const RANGES = ["1h", "2h", "6h", "24h", "7d", "30d"] as const;
export type Range = (typeof RANGES)[number];
/** Ranges drawn per minute from the Durable Object's 1-minute buckets (kept for 2 hours). */
export const MINUTE_RANGES: readonly Range[] = ["1h", "2h"];
const RANGE_WORDS: Record<Range, string> = {
  "1h": "the last hour, per minute",
  "2h": "2 hours, per minute",
  "6h": "6 hours, per minute",
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
};

export interface IncidentView {
  id: string;
  title: string;
  severity: string;
  status: string;
  startedAt: number;
  firingAt: number | null;
  ackedAt: number | null;
  resolvedAt: number | null;
  silencedUntil: number | null;
  message: string | null;
  chartId: string;
  focus: boolean;
  /** The release change that preceded it (one change, one incident: listed together). */
  change: { summary: string; at: number } | null;
  /** Effect size and segments from its last check (incident-explanation.tsx). */
  explanation?: IncidentExplanationView | null;
}

export interface DeploymentView {
  environment: string;
  slug: string;
  state: ComponentState;
  range: Range;
  now: number;
  /** The incident the page opened at (?incident=), kept when the range changes. */
  focusId?: string | undefined;
  charts: LineChartProps[];
  focusChart: LineChartProps | null;
  incidents: IncidentView[];
  /** Each rule's latest check. */
  checks: CheckRowView[];
  baseline: { kind: string; label: string; from: number; to: number; count: number } | null;
  /** How ready the baseline is ("baseline ready after 500 more events or at 14:20 UTC"). */
  readiness: { ready: boolean; source: string; message: string };
  releases: { label: string; at: number }[];
}

function IncidentCard({ i, viewer, back }: { i: IncidentView; viewer: Viewer; back: string }) {
  const now = Date.now();
  const open = i.resolvedAt === null;
  return (
    <article class={i.focus ? "card focus" : "card"} id={`incident-${i.id}`} data-incident={i.id}>
      <IncidentCardHead title={i.title} i={i} />
      <IncidentExplanation e={i.explanation ?? null} />
      <p class="muted small" style="margin:.3rem 0 0">
        {incidentTimesText(i, now)} · <a href={`#chart-${i.chartId}`}>chart</a> ·{" "}
        <a href={`/dashboard/incidents/${i.id}`}>timeline</a>
      </p>
      {viewer.admin && open ? (
        <div class="actions">
          {i.ackedAt === null ? (
            <form method="post" action={`/dashboard/incidents/${i.id}/ack`}>
              <input type="hidden" name="csrf" value={viewer.csrf} />
              <input type="hidden" name="back" value={back} />
              <button type="submit">Acknowledge</button>
            </form>
          ) : null}
          <form method="post" action={`/dashboard/incidents/${i.id}/silence`}>
            <input type="hidden" name="csrf" value={viewer.csrf} />
            <input type="hidden" name="back" value={back} />
            <label class="sr" for={`silence-${i.id}`}>
              Silence for
            </label>
            <select id={`silence-${i.id}`} name="minutes">
              <option value="60">1 hour</option>
              <option value="240">4 hours</option>
              <option value="1440">1 day</option>
            </select>
            <button type="submit">Silence</button>
          </form>
          <UpdateForm id={i.id} csrf={viewer.csrf} back={back} />
        </div>
      ) : null}
    </article>
  );
}

export function DeploymentPage({ v, viewer }: { v: DeploymentView; viewer: Viewer }) {
  const base = `/dashboard/d/${v.environment}/${v.slug}`;
  const back = `${base}?range=${v.range}`;
  const open = v.incidents.filter((i) => i.resolvedAt === null);
  const recent = v.incidents.filter((i) => i.resolvedAt !== null);
  return (
    <Shell title={`${v.slug} (${v.environment})`} viewer={viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href="/dashboard">← All deployments</a>
      </p>
      <div class="row" style="margin-bottom:1rem">
        <h1>
          {v.slug}{" "}
          <span class="muted" style="font-weight:400;font-size:1rem">
            {v.environment}
          </span>
        </h1>
        <span class={`state ${v.state}`} data-state={v.state}>
          {STATE_LABELS[v.state]}
        </span>
        <a href={`${base}/releases`}>Release verdicts</a>
        <a href={`${base}/breakdown`}>Breakdowns</a>
      </div>
      {v.focusChart ? (
        <section aria-labelledby="from-alert" class="stack" id="alert">
          <h2 id="from-alert">From the alert</h2>
          {v.incidents
            .filter((i) => i.focus)
            .map((i) => (
              <IncidentCard i={i} viewer={viewer} back={back} />
            ))}
          <LineChart {...v.focusChart} />
        </section>
      ) : null}
      <section aria-labelledby="incidents">
        <h2 id="incidents">Incidents</h2>
        {v.incidents.every((i) => i.focus) ? (
          <p class="card muted">
            {v.incidents.length === 0
              ? "No incidents in the last 30 days."
              : "No other incidents in the last 30 days."}
          </p>
        ) : null}
        <div class="stack">
          {changeGroups([...open, ...recent].filter((i) => !i.focus)).map((g) =>
            g.incidents.length > 1 ? (
              <div class="stack" data-change-group={g.incidents.length}>
                <h3 class="small" style="margin:.5rem 0 0">
                  {g.change ? `After ${g.change}` : "One change"}: {g.incidents.length} signals
                </h3>
                {g.incidents.map((i) => (
                  <IncidentCard i={i} viewer={viewer} back={back} />
                ))}
              </div>
            ) : (
              g.incidents.map((i) => <IncidentCard i={i} viewer={viewer} back={back} />)
            ),
          )}
        </div>
      </section>
      <section aria-labelledby="charts">
        <div class="row">
          <h2 id="charts">Quality over {RANGE_WORDS[v.range]}</h2>
          <nav class="tabs" aria-label="Range">
            {RANGES.map((r) => (
              <a
                href={`${base}?range=${r}${v.focusId ? `&incident=${v.focusId}#alert` : ""}`}
                aria-current={r === v.range ? "page" : undefined}
              >
                {r}
              </a>
            ))}
          </nav>
        </div>
        <p class="muted small" style="margin:.25rem 0 .75rem">
          Dashed lines mark release changes (model, prompt version, release label); shaded spans are
          incidents; the grey band is the baseline the checks compare with (p5–p95, or a rate's 95 %
          interval), and red dashes a rule's threshold.
        </p>
        <div class="charts">
          {v.charts.map((c) => (
            <LineChart {...c} />
          ))}
        </div>
      </section>
      <section aria-labelledby="checks">
        <h2 id="checks">Current drift checks</h2>
        {v.checks.length === 0 ? (
          <p class="card muted">
            No checks in the last 24 hours (the cron tick evaluates every minute).
          </p>
        ) : (
          <ChecksTable rows={v.checks} by="rule" />
        )}
      </section>
      <section aria-labelledby="baseline">
        <h2 id="baseline">
          Baseline{" "}
          <a class="small" href={`${base}/baselines`}>
            pinned baselines
          </a>
        </h2>
        <div class="card small">
          {v.baseline ? (
            <p style="margin:0">
              Pinned baseline <b>{v.baseline.label}</b> ({v.baseline.kind}),{" "}
              {formatWhen(v.baseline.from)} to {formatWhen(v.baseline.to)},{" "}
              {v.baseline.count.toLocaleString("en")} interactions.
            </p>
          ) : (
            <p style="margin:0">
              Rolling: the trailing 7 days before the last hour, or the 7 days before the latest
              release change when there is one
              {v.releases.length > 0
                ? ` (latest: ${v.releases.at(-1)?.label}, ${formatWhen(v.releases.at(-1)?.at ?? 0)})`
                : ""}
              .
            </p>
          )}
          {v.readiness.ready && v.readiness.source !== "bootstrap" ? null : (
            <p style="margin:.3rem 0 0" data-readiness={v.readiness.ready ? "ready" : "waiting"}>
              {v.readiness.source === "bootstrap"
                ? "New deployment: compared with its own first traffic (up to its first hour). "
                : ""}
              {v.readiness.ready ? "" : `Not comparing yet: ${v.readiness.message}.`}
            </p>
          )}
        </div>
      </section>
    </Shell>
  );
}
