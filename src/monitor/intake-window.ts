// When the direct intake (intake.ts) commits: group commit with a quiet rule that follows
// the traffic. Pure: times in, decisions out.
//
// Storage is billed per row written and a commit writes the same few rows however many
// events it carries (test/monitor/commit-rows.test.ts), so the more requests share a
// commit the cheaper each is; but a client waiting for its answer must not wait for
// nobody. So a request says whether its client waits: a beacon (`?beacon=1`, which the
// SDK sets for navigator.sendBeacon, the browser's timed flushes and a Worker's
// waitUntil) does not, and only beacons are held for others. The intake:
//   - commits a request at once when the object is idle: no commit in flight, none held,
//     and, for a beacon, the traffic quiet (no arrival within the quiet span): a lone
//     request never waits;
//   - holds what arrives while a commit is in flight (its transaction and its durability,
//     storage.sync()) and commits it as the next group, never two commits at a time;
//   - commits a held group as soon as nothing is in flight when it holds a request whose
//     client waits (that request takes the beacons held with it);
//   - keeps a group of beacons open while they keep coming: it closes at the first of the
//     quiet span after the last arrival, MAX_WAIT_MS after the first, or MAX_EVENTS.
// The quiet span is QUIET_GAPS times the typical gap between arrivals that found the
// object busy (an exponentially weighted mean), within [QUIET_MIN_MS, QUIET_MAX_MS]. A
// few clients that each wait for their answer arrive close together after each commit:
// short gaps, a short quiet span, no waiting for nobody. Independent beacons at a steady
// rate arrive with gaps of about 1/rate: the span stretches to several of them, so a
// group closes on a quiet gap of QUIET_GAPS mean gaps (e^-8 of them: 1 in ~3,000) or on
// MAX_WAIT_MS, and the rows are spread over ~140 events at 100 requests/s, ~380 at 300/s
// and ~560 at 1,000/s. bench/capacity simulates this rule (capacity-single.mjs).

export const QUIET_GAPS = 8;
export const QUIET_MIN_MS = 2;
export const QUIET_MAX_MS = 100;
export const MAX_WAIT_MS = 2_000;
export const MAX_EVENTS = 1_000;
/** Weight of the newest gap in the mean. */
export const GAP_WEIGHT = 0.1;

/** What the intake knows of recent arrivals. */
export interface Pace {
  /** When the latest request arrived (epoch ms), null before the first. */
  lastAt: number | null;
  /** The weighted mean gap (ms) between arrivals that found the object busy. */
  gapMs: number;
}

export const firstPace = (): Pace => ({ lastAt: null, gapMs: 0 });

/** How long without an arrival closes a held group. */
export function quietMs(pace: Pace): number {
  return Math.min(QUIET_MAX_MS, Math.max(QUIET_MIN_MS, QUIET_GAPS * pace.gapMs));
}

/**
 * Whether a request arriving at `now` is committed at once: nothing in flight or held
 * (`busy` false) and, for a `beacon`, no arrival within the quiet span before it.
 */
export function commitsAtOnce(pace: Pace, now: number, busy: boolean, beacon: boolean): boolean {
  if (busy) return false;
  return !beacon || pace.lastAt === null || now - pace.lastAt > quietMs(pace);
}

/** The pace after an arrival at `now`; `busy`: it found a commit in flight or a group held. */
export function arrive(pace: Pace, now: number, busy: boolean): Pace {
  if (!busy || pace.lastAt === null) return { ...pace, lastAt: now };
  const gap = Math.max(0, now - pace.lastAt);
  return { lastAt: now, gapMs: pace.gapMs + GAP_WEIGHT * (gap - pace.gapMs) };
}

export interface WindowState {
  /** When the oldest held request arrived (epoch ms). */
  firstAt: number;
  /** When the latest held request arrived. */
  lastAt: number;
  /** Events held. */
  events: number;
  /** Whether a held request's client waits for its answer (not a beacon). */
  waiting: boolean;
}

/** When the held group closes (epoch ms): at or before `now` means commit now. */
export function closesAt(state: WindowState, quiet: number): number {
  if (state.waiting || state.events >= MAX_EVENTS) return state.lastAt;
  return Math.min(state.lastAt + quiet, state.firstAt + MAX_WAIT_MS);
}
