// Chart geometry as pure functions: scales, nice axis bounds, line paths with gaps,
// and the x positions of release markers. Coordinates are rounded to 0.1 px so the
// SVG stays small.

export interface Point {
  /** Epoch ms. */
  t: number;
  /** null: no data in this bucket (the line breaks there). */
  v: number | null;
}

export interface Box {
  width: number;
  height: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to the middle. */
export function linearScale(
  [d0, d1]: readonly [number, number],
  [r0, r1]: readonly [number, number],
): (x: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** The smallest 1, 2, 2.5 or 5 × 10^n at or above `value` (1 for values ≤ 0). */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * exp >= value * (1 - 1e-12)) return step * exp;
  }
  return 10 * exp;
}

/** The y-axis top for these points: a nice bound over the largest value (≥ `floor`). */
export function yMaxOf(points: readonly Point[], floor = 0): number {
  let max = floor;
  for (const p of points) if (p.v !== null && p.v > max) max = p.v;
  return niceCeil(max);
}

/**
 * An SVG path through the points in time order, over [from, to] × [0, yMax], y up.
 * A null value breaks the line; a lone point between gaps becomes a short dash so it
 * stays visible.
 */
export function linePath(
  points: readonly Point[],
  opts: Box & { from: number; to: number; yMax: number; pad?: number; whole?: boolean },
): string {
  const pad = opts.pad ?? 1;
  // Whole user units are enough for small charts drawn in a larger viewBox.
  const round = opts.whole ? Math.round : round1;
  const x = linearScale([opts.from, opts.to], [0, opts.width]);
  const y = linearScale([0, opts.yMax], [opts.height - pad, pad]);
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length === 1) run.push("h0.1");
    parts.push(run.join(""));
    run = [];
  };
  for (const p of [...points].sort((a, b) => a.t - b.t)) {
    if (p.v === null || p.t < opts.from || p.t > opts.to) {
      if (run.length > 0) flush();
      continue;
    }
    const xy = `${round(x(p.t))},${round(y(Math.min(p.v, opts.yMax)))}`;
    // Pairs after a moveto are implicit linetos: a space instead of "L" per point.
    run.push(run.length === 0 ? `M${xy}` : ` ${xy}`);
  }
  if (run.length > 0) flush();
  return parts.join("");
}

/** The same line closed down to the x axis, for a filled area under it. */
export function areaPath(
  points: readonly Point[],
  opts: Box & { from: number; to: number; yMax: number; pad?: number },
): string {
  const line = linePath(points, opts);
  if (line === "") return "";
  // Each run becomes its own closed shape down to the baseline.
  return line
    .split("M")
    .filter((run) => run !== "")
    .map((run) => {
      const coords = [...run.matchAll(/(?:^| )([\d.]+),([\d.]+)/g)];
      const first = coords[0]?.[1];
      const last = coords.at(-1)?.[1];
      if (first === undefined || last === undefined) return "";
      return `M${first},${opts.height}L${run.replace(/h[\d.]+$/, "")}L${last},${opts.height}Z`;
    })
    .join("");
}

export interface Marker {
  t: number;
  label: string;
}

/** Markers inside [from, to] with their x position, in time order. */
export function markerPositions<M extends Marker>(
  markers: readonly M[],
  opts: { from: number; to: number; width: number },
): (M & { x: number })[] {
  const x = linearScale([opts.from, opts.to], [0, opts.width]);
  return markers
    .filter((m) => m.t >= opts.from && m.t <= opts.to)
    .sort((a, b) => a.t - b.t)
    .map((m) => ({ ...m, x: round1(x(m.t)) }));
}

/** Evenly spaced y-axis values from 0 to yMax inclusive. */
export function yTicks(yMax: number, count = 2): number[] {
  return Array.from({ length: count + 1 }, (_, k) => (yMax * k) / count);
}
