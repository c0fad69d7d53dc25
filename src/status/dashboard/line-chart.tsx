// A server-rendered SVG line chart: grid, the baseline's band, one or two lines, incident
// bands, levels and release markers. Labels are HTML around the SVG so they stay crisp at any width; every chart
// carries an aria-label and a visible text summary.
import { linearScale, linePath, markerPositions, type Point, yMaxOf } from "../geometry";
import type { ChartLevel } from "./chart-levels";

const W = 600;
const H = 150;

export interface ChartMarker {
  t: number;
  /** Short flag text, e.g. "prompt v14". */
  label: string;
  /** Full text for the tooltip. */
  title: string;
  /** The release keys compared (the one before, this one) and where the flag links. */
  compare?: [string, string];
  href?: string;
}

export interface ChartBand {
  from: number;
  to: number;
  title: string;
  focus?: boolean;
}

export interface LineChartProps {
  id: string;
  title: string;
  lines: { label: string; points: Point[] }[];
  from: number;
  to: number;
  format: (v: number) => string;
  formatTime: (t: number) => string;
  markers: ChartMarker[];
  bands: ChartBand[];
  focus?: boolean;
  /** Share scales read better from 0 to at least this. */
  yFloor?: number;
  /** The axis never goes above this (1 for scores). */
  yCap?: number;
  /** Horizontal lines: the focused incident's baseline and its rule's threshold. */
  levels?: ChartLevel[];
  /** The baseline's band (p5–p95, or a rate's interval) across the chart, in its unit. */
  baseline?: { lo: number; hi: number; label: string } | null;
}

function summary(p: LineChartProps, yMax: number): string {
  const main = p.lines.at(-1);
  const values = (main?.points ?? []).flatMap((x) => (x.v === null ? [] : [x.v]));
  const latest = [...(main?.points ?? [])].reverse().find((x) => x.v !== null)?.v ?? null;
  const parts = [
    latest === null
      ? "no data"
      : `latest ${main?.label ?? ""} ${p.format(latest)}`.replace("  ", " "),
  ];
  if (values.length > 0) {
    parts.push(`range ${p.format(Math.min(...values))} to ${p.format(Math.max(...values))}`);
  }
  const changes = p.markers.filter((m) => m.t >= p.from && m.t <= p.to).length;
  if (changes > 0) parts.push(`${changes} release change${changes === 1 ? "" : "s"}`);
  if (p.baseline) parts.push(p.baseline.label);
  for (const l of p.levels ?? []) parts.push(l.label);
  const incidents = p.bands.length;
  if (incidents > 0) parts.push(`${incidents} incident${incidents === 1 ? "" : "s"}`);
  return `${parts.join(" · ")} (axis top ${p.format(yMax)})`;
}

/** Raw values for readers and tests, 6 significant digits. */
const raw = (v: number) => String(Number(v.toPrecision(6)));

function BaselineRect(props: {
  band: { lo: number; hi: number; label: string };
  y: (v: number) => number;
  yMax: number;
}) {
  const { band, y, yMax } = props;
  const top = y(Math.min(band.hi, yMax));
  const bottom = y(Math.min(band.lo, yMax));
  // A band narrower than a pixel is still drawn, one pixel high around its centre.
  const height = Math.max(1, bottom - top);
  return (
    <rect
      class="bl"
      y={(height > bottom - top ? (top + bottom - height) / 2 : top).toFixed(1)}
      width={W}
      height={height.toFixed(1)}
      data-lo={raw(band.lo)}
      data-hi={raw(band.hi)}
    >
      <title>{band.label}</title>
    </rect>
  );
}

export function LineChart(p: LineChartProps) {
  const all = p.lines.flatMap((l) => l.points);
  const levels = p.levels ?? [];
  const band = p.baseline ?? null;
  // The levels and the band stay on the axis, so a threshold above every point is still drawn.
  const onAxis = [...levels.map((l) => l.v), ...(band ? [band.hi] : [])];
  const top = yMaxOf([...all, ...onAxis.map((v) => ({ t: p.from, v }))], p.yFloor ?? 0);
  // Scores live in [0, 1]: never stretch the axis past 1 for them.
  const yMax = p.yCap !== undefined ? Math.min(top, p.yCap) : top;
  const box = { width: W, height: H, from: p.from, to: p.to, yMax, pad: 2 };
  const x = linearScale([p.from, p.to], [0, W]);
  const y = linearScale([0, yMax], [H - 2, 2]);
  const markers = markerPositions(p.markers, { from: p.from, to: p.to, width: W });
  const text = summary(p, yMax);
  const latest = p.lines.at(-1)?.points.findLast((pt) => pt.v !== null)?.v ?? null;
  return (
    <figure class={p.focus ? "chart card focus" : "chart card"} id={`chart-${p.id}`}>
      <figcaption class="row">
        <h3>{p.title}</h3>
        <span class="legend">
          {p.lines.length > 1
            ? p.lines.map((l, k) => (
                <span class={`key k${k + 2 - p.lines.length}`}>
                  <i />
                  {l.label}
                </span>
              ))
            : null}
          <b>{latest === null ? "–" : p.format(latest)}</b>
        </span>
      </figcaption>
      <div class="plot">
        <span class="ymax">{p.format(yMax)}</span>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${p.title}: ${text}`}
        >
          <path class="grid" d={`M0,${H / 2}H${W}M0,2H${W}M0,${H - 0.5}H${W}`} />
          {band ? <BaselineRect band={band} y={y} yMax={yMax} /> : null}
          {p.bands.map((b) => {
            const x0 = Math.max(0, x(b.from));
            const x1 = Math.min(W, x(b.to));
            return x1 > x0 ? (
              <rect
                class={b.focus ? "band focus" : "band"}
                x={x0.toFixed(1)}
                width={(x1 - x0).toFixed(1)}
                height={H}
              >
                <title>{b.title}</title>
              </rect>
            ) : null;
          })}
          {/* The last line is the main one (p95 over p50); a single line is drawn strong. */}
          {p.lines.map((l, k) => (
            <path class={`ln l${k + 2 - p.lines.length}`} d={linePath(l.points, box)} />
          ))}
          {levels.map((l) => (
            <path class={`lv ${l.kind}`} d={`M0,${y(Math.min(l.v, yMax)).toFixed(1)}H${W}`}>
              <title>{l.label}</title>
            </path>
          ))}
          {markers.map((m) => (
            <g class="mk">
              <title>{m.title}</title>
              <path d={`M${m.x},0V${H}`} />
              <rect x={m.x - 4} width="8" height={H} />
            </g>
          ))}
        </svg>
        {markers.map((m) => (
          <span
            class={m.x > W * 0.85 ? "flag end" : m.x < W * 0.15 ? "flag start" : "flag"}
            style={`left:${((m.x / W) * 100).toFixed(2)}%`}
            title={m.title}
          >
            {m.href ? <a href={m.href}>{m.label}</a> : m.label}
          </span>
        ))}
      </div>
      {levels.length > 0 || band ? (
        <p class="levels small">
          {band ? (
            <span class="key lv-band" data-level="band">
              <i />
              {band.label}
            </span>
          ) : null}
          {levels.map((l) => (
            <span class={`key lv-${l.kind}`} data-level={l.kind}>
              <i />
              {l.label}
            </span>
          ))}
        </p>
      ) : null}
      <div class="xaxis">
        <span>{p.formatTime(p.from)}</span>
        <span>{p.formatTime((p.from + p.to) / 2)}</span>
        <span>{p.formatTime(p.to)}</span>
      </div>
      <p class="sum">{text}</p>
    </figure>
  );
}
