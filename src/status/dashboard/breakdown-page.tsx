// /dashboard/d/:env/:slug/breakdown: one rate, the traffic or a distribution split by model,
// provider, prompt version, release, finish reason or a tag's values, as small multiples (one
// chart per value, the 8 with most interactions) and a table of every value, over 1 h or 2 h
// per minute or 24 h or 7 d per hour. A GET form picks the split, so it works without
// script. A distribution is split by each value's geometric mean (no quantile is kept per
// segment: breakdown.ts), and says so.
import { metricLabel } from "../../alerts/rules/rule-metrics";
import { deploymentNamed } from "../../db/deployment-named";
import { formatClock, formatCount, formatDay, formatMs, formatPct } from "../format";
import {
  BREAKDOWN_METRICS,
  type BreakdownMetric,
  type BreakdownPanel,
  breakdownDimensions,
  breakdownPanels,
  isBreakdownMetric,
  isDistributionMetric,
  rowsOf,
  valueLabel,
} from "./breakdown";
import { BREAKDOWN_RANGES, type BreakdownRange, segmentSlices } from "./breakdown-data";
import { deploymentReleases } from "./data";
import { LineChart } from "./line-chart";
import { type Ctx, page } from "./route-kit";
import { MessagePage, Shell, type Viewer } from "./shell";
import { releaseMarkers } from "./views";

/** Charts drawn; the other values are in the table. */
export const MAX_PANELS = 8;

/** A signal's name: a distribution's says it is a geometric mean. */
const signalLabel = (m: BreakdownMetric) =>
  isDistributionMetric(m) ? `${metricLabel(m)} (geometric mean)` : metricLabel(m);

/** How a signal's values read: a share, a count, milliseconds or characters and tokens. */
function formatOf(m: BreakdownMetric): (v: number) => string {
  if (m === "traffic") return formatCount;
  if (m === "latency_ms" || m === "ttft_ms") return formatMs;
  if (m === "output_chars") return (v) => `${formatCount(v)} chars`;
  if (m === "output_tokens") return (v) => `${formatCount(v)} tokens`;
  return (v) => formatPct(v);
}

const dimensionLabel = (d: string) =>
  d.startsWith("tags.") ? `tag ${d.slice(5)}` : d.replaceAll("_", " ");

interface BreakdownView {
  base: string;
  slug: string;
  environment: string;
  by: string | null;
  dimensions: string[];
  metric: BreakdownMetric;
  range: BreakdownRange;
  from: number;
  to: number;
  panels: BreakdownPanel[];
  markers: ReturnType<typeof releaseMarkers>;
}

function Picker({ v }: { v: BreakdownView }) {
  return (
    <form method="get" action={`${v.base}/breakdown`} class="card actions" id="split">
      <label>
        Split by{" "}
        <select name="by">
          {v.dimensions.map((d) => (
            <option value={d} selected={d === v.by}>
              {dimensionLabel(d)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Signal{" "}
        <select name="metric">
          {BREAKDOWN_METRICS.map((m) => (
            <option value={m} selected={m === v.metric}>
              {signalLabel(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Range{" "}
        <select name="range">
          {BREAKDOWN_RANGES.map((r) => (
            <option value={r} selected={r === v.range}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}

function BreakdownBody({ v }: { v: BreakdownView }) {
  const traffic = v.metric === "traffic";
  const share = !traffic && !isDistributionMetric(v.metric);
  const format = formatOf(v.metric);
  const perMinute = v.range === "1h" || v.range === "2h";
  if (v.by === null) {
    return (
      <p class="card muted">
        No segment counts in this range yet: they are kept from the events the deployment receives
        (1-minute rows for 2 hours, hourly rows for 8 days).
      </p>
    );
  }
  return (
    <>
      <div class="charts" data-breakdown={v.by}>
        {v.panels.slice(0, MAX_PANELS).map((p, k) => (
          <LineChart
            id={`split-${k}`}
            title={`${valueLabel(p.value)} · ${formatCount(p.interactions)} interactions`}
            lines={[{ label: signalLabel(v.metric), points: p.points }]}
            from={v.from}
            to={v.to}
            format={format}
            formatTime={perMinute || v.range === "24h" ? formatClock : formatDay}
            markers={v.markers}
            bands={[]}
            {...(share ? { yFloor: 0.05, yCap: 1 } : {})}
          />
        ))}
      </div>
      <div class="card scroll" style="padding:4px 8px;margin-top:14px">
        <table data-breakdown-table={v.by}>
          <thead>
            <tr>
              <th scope="col">{dimensionLabel(v.by)}</th>
              <th scope="col">Interactions</th>
              {traffic ? null : <th scope="col">{signalLabel(v.metric)}</th>}
            </tr>
          </thead>
          <tbody>
            {v.panels.map((p) => (
              <tr data-value={p.value}>
                <td>{valueLabel(p.value)}</td>
                <td class="num">{p.interactions.toLocaleString("en")}</td>
                {traffic ? null : share ? (
                  <td class="num">
                    {p.rate === null ? "–" : formatPct(p.rate, 2)}{" "}
                    <span class="muted small">
                      ({p.hits.toLocaleString("en")} of {p.of.toLocaleString("en")})
                    </span>
                  </td>
                ) : (
                  <td class="num">
                    {p.rate === null ? "–" : format(p.rate)}{" "}
                    <span class="muted small">({p.of.toLocaleString("en")} values)</span>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function BreakdownPage({ v, viewer }: { v: BreakdownView; viewer: Viewer }) {
  return (
    <Shell title={`${v.slug}: breakdown`} viewer={viewer}>
      <p class="small" style="margin:1rem 0 .25rem">
        <a href={v.base}>← {v.slug}</a>
      </p>
      <h1 style="margin:0 0 .5rem">
        {signalLabel(v.metric)}
        {v.by ? ` by ${dimensionLabel(v.by)}` : ""}{" "}
        <span class="muted" style="font-weight:400;font-size:1rem">
          {v.slug} · {v.environment} · {v.range}
        </span>
      </h1>
      <Picker v={v} />
      <p class="muted small">
        One chart per value (the {MAX_PANELS} with most interactions), per{" "}
        {v.range === "1h" || v.range === "2h" ? "minute" : "hour"}; every value in the table. Values
        past the 20 kept per dimension are counted together as “(other values)”.
        {isDistributionMetric(v.metric)
          ? " No quantile is kept per segment (the deployment keeps a sketch of the whole traffic, not of each value), so each value shows its geometric mean: the typical value on a log scale, below the mean when a few are slow or long."
          : ""}
      </p>
      <BreakdownBody v={v} />
    </Shell>
  );
}

export async function breakdownPage(
  c: Ctx,
  projectId: string,
  viewer: Viewer,
  env: string,
  slug: string,
) {
  const dep = await deploymentNamed(c.env.DB, projectId, env, slug);
  if (!dep) {
    const message = `No deployment '${slug}' in environment '${env}' in this project.`;
    return page(
      c,
      <MessagePage title="Deployment not found" message={message} viewer={viewer} />,
      404,
    );
  }
  const q = c.req.query();
  const range: BreakdownRange = BREAKDOWN_RANGES.find((r) => r === q.range) ?? "24h";
  const metric: BreakdownMetric = isBreakdownMetric(q.metric ?? "")
    ? (q.metric as BreakdownMetric)
    : "error_rate";
  const [{ slices, from, to }, releases] = await Promise.all([
    segmentSlices(c.env, dep.id, range, Date.now(), rowsOf(metric)),
    deploymentReleases(c.env.DB, dep.id),
  ]);
  const dimensions = breakdownDimensions(slices);
  // An unknown or absent split falls back to the first dimension present (model, usually).
  const by = dimensions.find((d) => d === q.by) ?? dimensions[0] ?? null;
  const v: BreakdownView = {
    base: `/dashboard/d/${dep.environment}/${dep.slug}`,
    slug: dep.slug,
    environment: dep.environment,
    by,
    dimensions,
    metric,
    range,
    from,
    to,
    panels: by === null ? [] : breakdownPanels(slices, by, metric),
    markers: releaseMarkers(releases),
  };
  return page(c, <BreakdownPage v={v} viewer={viewer} />);
}
