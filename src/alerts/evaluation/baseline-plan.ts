// What a deployment's baseline is made of at one minute (pure), and when a young one will be
// ready. A deployment compares with, in this order of precedence (a pinned baseline aside):
// - "release": after a release change, what ran before it, up to the change's minute however
//   short (whole hours at 1-hour resolution, the change's own hour at 1-minute resolution);
// - "bootstrap": while the rolling baseline holds less than an hour of the deployment's life,
//   its own first traffic, from its first event to the start of the longest window (at most
//   its first hour), so a new deployment alerts from its first hour;
// - "rolling": the trailing 7 days, excluding the last hour.
// The tests' own min_samples still decide whether a comparison can be made.
import { MINUTE_RETENTION_MS } from "../../monitor/retention-horizons";
import { HOUR_MS, hourOf, MINUTE_MS, minuteOf } from "../../shared/time";
import { type ReleaseChange, ROLLING_BASELINE_MS } from "./baseline-ranges";

/** The first traffic of a deployment that stands in as its baseline: its first hour at most. */
export const BOOTSTRAP_SPAN_MS = HOUR_MS;

export type BaselineSource = "pinned" | "release" | "bootstrap" | "rolling";

export interface BaselinePiece {
  from: number;
  to: number;
  resolution: "1m" | "1h";
}

export interface BaselinePlan {
  source: Exclude<BaselineSource, "pinned">;
  /** Merged into one baseline; empty when there is nothing to compare with yet. */
  pieces: BaselinePiece[];
  /** Epoch ms: the baseline covers [from, to) (from may precede the first event). */
  from: number;
  to: number;
}

/** [from, to) read as whole hours up to `to`'s hour, then `to`'s hour by the minute. */
function piecesUpTo(from: number, to: number, minute: number): BaselinePiece[] {
  const hour = hourOf(to);
  const pieces: BaselinePiece[] = [];
  const start = Math.max(from, hour);
  // The 1-minute buckets are kept for 2 hours; older than that, the change's hour is left out.
  const minutesKept = start >= minute - MINUTE_RETENTION_MS;
  if (hour > from) pieces.push({ from: hourOf(from), to: hour, resolution: "1h" });
  if (to > start && minutesKept) pieces.push({ from: start, to, resolution: "1m" });
  return pieces;
}

/**
 * The baseline at `minute` for a deployment first seen at `firstSeen`, whose longest rule
 * window is `windowMinutes`, after the latest release change `change` (or none).
 */
export function baselinePlan(
  minute: number,
  firstSeen: number,
  windowMinutes: number,
  change: ReleaseChange | null,
): BaselinePlan {
  if (change) {
    const to = minuteOf(change.first_seen_at);
    const from = hourOf(to) - ROLLING_BASELINE_MS;
    return { source: "release", pieces: piecesUpTo(from, to, minute), from, to };
  }
  const rollingEnd = hourOf(minute - HOUR_MS);
  const born = minuteOf(firstSeen);
  if (rollingEnd - born < BOOTSTRAP_SPAN_MS) {
    const to = Math.min(minute - windowMinutes * MINUTE_MS, born + BOOTSTRAP_SPAN_MS);
    const pieces = to > born ? piecesUpTo(born, to, minute) : [];
    return { source: "bootstrap", pieces, from: born, to: Math.max(born, to) };
  }
  const from = rollingEnd - ROLLING_BASELINE_MS;
  return {
    source: "rolling",
    pieces: [{ from, to: rollingEnd, resolution: "1h" }],
    from,
    to: rollingEnd,
  };
}

export interface BaselineReadiness {
  source: BaselineSource | "none";
  /** Interactions in the baseline. */
  events: number;
  /** Interactions the comparison tests need at least (the rules' largest min_samples). */
  needed: number;
  ready: boolean;
  /** Interactions still missing; 0 when ready. */
  events_to_go: number;
  /** Epoch ms the baseline should be ready at the current traffic; null if ready or unknown. */
  ready_at: number | null;
  message: string;
}

export interface ReadinessInput {
  source: BaselineSource | "none";
  events: number;
  needed: number;
  minute: number;
  firstSeen: number;
  windowMinutes: number;
  /** Interactions per minute lately (the longest window's), to estimate the time. */
  perMinute: number;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Whether the baseline is big enough, and if not, how many events or how long until it is. */
export function baselineReadiness(r: ReadinessInput): BaselineReadiness {
  const events_to_go = Math.max(0, r.needed - r.events);
  const base = { source: r.source, events: r.events, needed: r.needed, events_to_go };
  if (events_to_go === 0 && r.source !== "none") {
    return { ...base, ready: true, ready_at: null, message: `baseline ready (${r.source})` };
  }
  // Only a growing baseline (a young deployment's own traffic) gets there by itself.
  const grows = r.source === "bootstrap" || r.source === "none";
  let ready_at: number | null = null;
  if (grows && r.perMinute > 0) {
    const opens = minuteOf(r.firstSeen) + (r.windowMinutes + 1) * MINUTE_MS;
    ready_at = Math.max(r.minute, opens) + Math.ceil(events_to_go / r.perMinute) * MINUTE_MS;
  }
  const when = ready_at === null ? "" : ` or at ${clock(ready_at)} UTC`;
  const message = grows
    ? `baseline ready after ${events_to_go} more events${when}`
    : `the ${r.source} baseline holds ${r.events} events, the tests need ≥ ${r.needed}`;
  return { ...base, ready: false, ready_at, message };
}
