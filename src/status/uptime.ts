// The uptime-style figure per component (pure): the share of the last 90 days' minutes,
// since the deployment's first data, during which none of its public incidents was firing.
// Overlapping incidents count once; incidents that opened during maintenance are left out
// by the caller, as they are from the days without incident.
import { MINUTE_MS } from "../shared/time";

export interface IncidentSpan {
  /** When it started firing (epoch ms). */
  from: number;
  /** When it resolved; null while open (counts until `now`). */
  to: number | null;
}

/** Share of [max(from, firstSeen), now) without a firing incident; null without any data. */
export function uptimeShare(input: {
  spans: readonly IncidentSpan[];
  from: number;
  now: number;
  firstSeen: number | null;
}): number | null {
  if (input.firstSeen === null) return null;
  const start = Math.max(input.from, input.firstSeen);
  const total = input.now - start;
  if (total < MINUTE_MS) return null;
  const spans = input.spans
    .map((s) => [Math.max(start, s.from), Math.min(input.now, s.to ?? input.now)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let down = 0;
  let reach = start;
  for (const [a, b] of spans) {
    const from = Math.max(a, reach);
    if (b > from) down += b - from;
    reach = Math.max(reach, b);
  }
  return 1 - down / total;
}
