// When the direct intake (intake.ts) commits: group commit with a quiet rule that follows
// the traffic. Pure: times in, decisions out.
//
// Storage is billed per row written and a commit writes the same few rows however many
// events it carries (test/monitor/commit-rows.test.ts), so the more requests share a
// commit the cheaper each is; but a client waiting for its answer must not wait for
// nobody. The intake therefore:
//   - commits a request at once when the object is idle: no commit in flight, none held,
//     and the traffic quiet (no arrival within the quiet span): a lone request never waits;
//   - holds what arrives while a commit is in flight (its transaction and its durability,
//     storage.sync()) and commits it as the next group, never two commits at a time;
//   - keeps a held group open while requests keep coming: it closes at the first of the
//     quiet span after the last arrival, MAX_WAIT_MS after the first, or MAX_EVENTS;
//   - also closes it as soon as, right after the last commit finished, as many requests
//     have arrived as the larger of the last two commits carried (`returned`): clients
//     that each wait for their answer have all come back, and nobody else is waited for.
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
 * (`busy` false) and no arrival within the quiet span before it.
 */
export function commitsAtOnce(pace: Pace, now: number, busy: boolean): boolean {
  return !busy && (pace.lastAt === null || now - pace.lastAt > quietMs(pace));
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
}

/** The sizes of recent commits and the arrivals since the last one finished. */
export interface Recent {
  /** Requests the last finished commit carried (0 before any). */
  last: number;
  /** Requests the one before it carried. */
  before: number;
  /** When the last commit finished (epoch ms). */
  doneAt: number;
  /** Requests arrived since the last commit finished. */
  since: number;
}

export const firstRecent = (): Recent => ({ last: 0, before: 0, doneAt: 0, since: 0 });

/** After a commit carrying `requests` requests has finished at `at`. */
export function finished(recent: Recent, requests: number, at: number): Recent {
  return { last: requests, before: recent.last, doneAt: at, since: 0 };
}

/** After a request has arrived. */
export function arrived(recent: Recent): Recent {
  return { ...recent, since: recent.since + 1 };
}

/**
 * Whether the clients the last commits answered have all come back at `now`: as many
 * requests arrived since the last commit finished as the larger of the last two carried,
 * and at least twice as fast as the pace (within half their count of mean gaps). Waiting
 * clients come back together right after their answer; independent beacons reach a count
 * that fast only when it is small (e.g. 10 arrivals within 5 mean gaps: ~3 %), so large
 * groups are left to the quiet span and do not shrink.
 */
export function returned(recent: Recent, now: number, pace: Pace): boolean {
  const target = Math.max(recent.last, recent.before);
  if (target === 0 || recent.since < target) return false;
  return now - recent.doneAt <= (target * pace.gapMs) / 2;
}

/**
 * When the held group closes (epoch ms): at or before `now` means commit now. `back`:
 * returned(...), the clients the last commits answered have all come back.
 */
export function closesAt(state: WindowState, quiet: number, back = false): number {
  if (state.events >= MAX_EVENTS || back) return state.lastAt;
  return Math.min(state.lastAt + quiet, state.firstAt + MAX_WAIT_MS);
}
