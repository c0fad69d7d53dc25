// The dashboard overview: every deployment with its state and its last 24 hours of traffic,
// errors, latency, thumbs-down and cost, each with a sparkline and the change against the
// week before.
import { formatCount, formatMs, formatPct, formatUsd } from "../format";
import type { Point } from "../geometry";
import { Sparkline } from "../sparkline";
import { type ComponentState, STATE_LABELS } from "../state";
import { changeOf, type Figures } from "./series";
import { Shell, type Viewer } from "./shell";

export interface OverviewDeployment {
  environment: string;
  slug: string;
  state: ComponentState;
  openIncidents: number;
  current: Figures;
  baseline: Figures;
  /** Hours with traffic in the 7 days before the last 24 hours. */
  baselineHours: number;
  spark: Record<"requests" | "errors" | "latency" | "thumbsDown" | "cost", Point[]>;
}

interface TileProps {
  label: string;
  value: string;
  change: number | null;
  /** Hours of the week before that held traffic. */
  baselineHours: number;
  kind: "relative" | "points";
  /** Whether a rise is bad (errors, latency) rather than neutral (traffic). */
  riseIsBad: boolean;
  points: Point[];
}

/** The overview's five tiles, in order. */
const TILES: {
  label: string;
  figure: keyof Figures;
  spark: keyof OverviewDeployment["spark"];
  format: (v: number | null) => string;
  kind: TileProps["kind"];
  riseIsBad: boolean;
}[] = [
  {
    label: "Requests",
    figure: "requests",
    spark: "requests",
    format: (v) => formatCount(v ?? 0),
    kind: "relative",
    riseIsBad: false,
  },
  {
    label: "Error rate",
    figure: "errorRate",
    spark: "errors",
    format: formatPct,
    kind: "points",
    riseIsBad: true,
  },
  {
    label: "Latency p95",
    figure: "latencyP95",
    spark: "latency",
    format: formatMs,
    kind: "relative",
    riseIsBad: true,
  },
  {
    label: "Thumbs-down",
    figure: "thumbsDownRate",
    spark: "thumbsDown",
    format: formatPct,
    kind: "points",
    riseIsBad: true,
  },
  {
    label: "Cost / request",
    figure: "costPerRequest",
    spark: "cost",
    format: formatUsd,
    kind: "relative",
    riseIsBad: true,
  },
];

/** A day of history before the last 24 hours, at least, before a change means anything. */
export const NEW_BELOW_HOURS = 24;

/** The tile's comparison: "new" while the week before holds less than a day of traffic. */
export function tileChangeText(
  c: number | null,
  kind: TileProps["kind"],
  baselineHours: number,
): string {
  if (baselineHours < NEW_BELOW_HOURS) return "new";
  if (c === null) return "no baseline";
  if (Math.abs(c) < (kind === "points" ? 0.0005 : 0.005)) return "unchanged vs 7 d";
  return kind === "points"
    ? `${c >= 0 ? "+" : "−"}${Math.abs(c * 100).toFixed(1)} pts vs 7 d`
    : `${c >= 0 ? "+" : "−"}${Math.abs(c * 100).toFixed(0)} % vs 7 d`;
}

function Tile(p: TileProps) {
  const isNew = p.baselineHours < NEW_BELOW_HOURS;
  const c = isNew ? null : p.change;
  const text = tileChangeText(p.change, p.kind, p.baselineHours);
  const bad = c !== null && p.riseIsBad && c > (p.kind === "points" ? 0.01 : 0.2);
  return (
    <div class="tile">
      <div class="k">{p.label}</div>
      <div class="v">{p.value}</div>
      <div class={bad ? "d up" : "d"}>{text}</div>
      <Sparkline points={p.points} label={`${p.label} over 24 hours`} area />
    </div>
  );
}

export function OverviewPage(props: { viewer: Viewer; deployments: OverviewDeployment[] }) {
  return (
    <Shell title="Overview" viewer={props.viewer}>
      <div class="row" style="margin:1.5rem 0 .25rem">
        <h1>Deployments</h1>
        <span class="muted small">Last 24 hours against the 7 days before</span>
      </div>
      {props.deployments.length === 0 ? (
        <p class="card muted">No deployment has sent an event yet.</p>
      ) : null}
      <div class="stack" style="margin-top:1rem">
        {props.deployments.map((d) => (
          <section class="card dep" aria-label={`${d.slug} (${d.environment})`}>
            <div class="row">
              <h3>
                <a href={`/dashboard/d/${d.environment}/${d.slug}`}>{d.slug}</a>{" "}
                <span class="muted small" style="font-weight:400">
                  {d.environment}
                </span>
              </h3>
              <span class={`state ${d.state}`} data-state={d.state}>
                {STATE_LABELS[d.state]}
                {d.openIncidents > 0
                  ? ` · ${d.openIncidents} open incident${d.openIncidents === 1 ? "" : "s"}`
                  : ""}
              </span>
            </div>
            <div class="tiles">
              {TILES.map((t) => (
                <Tile
                  label={t.label}
                  value={t.format(d.current[t.figure])}
                  change={changeOf(
                    d.current[t.figure],
                    // Requests compare with the daily average of the 7 days before.
                    t.figure === "requests" ? d.baseline.requests / 7 : d.baseline[t.figure],
                    t.kind,
                  )}
                  baselineHours={d.baselineHours}
                  kind={t.kind}
                  riseIsBad={t.riseIsBad}
                  points={d.spark[t.spark]}
                />
              ))}
            </div>
          </section>
        ))}
      </div>
    </Shell>
  );
}
