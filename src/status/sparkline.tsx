// A small line chart without axes: the 24-hour shape of one quality signal.
import { HOUR_MS } from "../shared/time";
import { areaPath, linePath, type Point, yMaxOf } from "./geometry";

// Whole units of a box one unit wide per hour (the points are hourly) and 56 high
// (half-pixel precision at the drawn height): the shortest paths that lose nothing. The
// box is stretched to the drawn size (preserveAspectRatio="none"); the line keeps its
// width through the stretch (vector-effect: non-scaling-stroke in the stylesheet).
const H = 56;

export function Sparkline(props: {
  points: readonly Point[];
  /** The chart's text equivalent; omit when the caption beside it already says it. */
  label?: string;
  yMax?: number;
  /** The filled area under the line (the dashboard's tiles); the status page saves the bytes. */
  area?: boolean;
}) {
  const { points } = props;
  const from = points[0]?.t ?? 0;
  const to = points.at(-1)?.t ?? 1;
  const W = Math.max(1, Math.round((to - from) / HOUR_MS));
  const opts = {
    width: W,
    height: H,
    from,
    to,
    yMax: props.yMax ?? yMaxOf(points),
    whole: true,
    pad: 2,
  };
  const line = linePath(points, opts);
  const paths = (
    <>
      {line && props.area ? <path class="ar" d={areaPath(points, opts)} /> : null}
      {line ? <path class="ln" d={line} /> : null}
    </>
  );
  // Without a label the caption beside the chart is its text, so screen readers skip it.
  return props.label ? (
    <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={props.label}>
      {paths}
    </svg>
  ) : (
    <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true">
      {paths}
    </svg>
  );
}
