// A small line chart without axes: the 24-hour shape of one quality signal.
import { areaPath, linePath, type Point, yMaxOf } from "./geometry";

const W = 120;
const H = 28;

export function Sparkline(props: { points: readonly Point[]; label: string; yMax?: number }) {
  const { points } = props;
  const from = points[0]?.t ?? 0;
  const to = points.at(-1)?.t ?? 1;
  const opts = { width: W, height: H, from, to, yMax: props.yMax ?? yMaxOf(points) };
  const line = linePath(points, opts);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={props.label}>
      {line ? <path class="ar" d={areaPath(points, opts)} /> : null}
      {line ? <path class="ln" d={line} /> : null}
    </svg>
  );
}
