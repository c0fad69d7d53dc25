// One release analysis: the candidate against the incumbent on concurrent traffic, minute
// by minute, every signal at once, as a plain state that each evaluation tick steps.
//
//   pending → fail          a signal is worse: its confidence sequence at alpha / K (K
//                           signals, Bonferroni; mixing scales the margin and FAIL_SCALE ×
//                           the margin, mixture-sequence.ts) lies above 0. P(fail | the candidate is no
//                           worse on every signal) ≤ alpha, however often it is looked at.
//           → pass          after minDurationMs, every observed signal is shown to be worse by
//                           less than its margin (upper bound of the passAlpha sequence below
//                           it; intersection–union, so P(pass | some signal is worse by its
//                           margin or more) ≤ passAlpha).
//           → inconclusive  maxDurationMs passed undecided (too little traffic), also when the
//                           candidate never served.
//           → superseded    rolled back (the candidate stopped serving for rollbackAfterMs
//                           while the incumbent served on) or replaced by a newer release.
import { mixtureRadius, multiScaleRadius } from "./mixture-sequence";
import { signalSpec } from "./signals";
import {
  addMinute,
  type DifferenceState,
  emptyDifference,
  estimate,
  type RateCounts,
} from "./stratified-difference";

export const VERDICT_STATES = ["pending", "fail", "pass", "inconclusive", "superseded"] as const;
export type VerdictState = (typeof VERDICT_STATES)[number];

export interface VerdictOptions {
  /** Error of a false fail per release, all signals together. */
  alpha: number;
  /** Error of a false pass (per signal, intersection–union). */
  passAlpha: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** No decision on a signal before each arm has this many observations of it. */
  minCount: number;
  rollbackAfterMs: number;
  /** Per-signal margins replacing the defaults of signals.ts. */
  margins: Record<string, number>;
}

export const DEFAULT_VERDICT_OPTIONS: VerdictOptions = {
  alpha: 0.01,
  passAlpha: 0.05,
  minDurationMs: 30 * 60_000,
  maxDurationMs: 24 * 3_600_000,
  minCount: 50,
  rollbackAfterMs: 60 * 60_000,
  margins: {},
};

/** One minute of both arms: per signal, how many of the observations had the property. */
export interface ArmMinute {
  minute: number;
  /** Interactions each arm served in the minute (for rollback detection). */
  requests: { incumbent: number; candidate: number };
  incumbent: Record<string, RateCounts>;
  candidate: Record<string, RateCounts>;
}

export interface AnalysisState {
  state: VerdictState;
  startedAt: number;
  decidedAt: number | null;
  /** Why it ended (rolled back, replaced, no traffic); null while pending or on a test's decision. */
  reason: string | null;
  /** The signals compared (fixed at the start: the Bonferroni K) and their sums. */
  signals: Record<string, DifferenceState>;
  /** The last minute folded in; later minutes only. */
  lastMinute: number | null;
  /** The last minute in which the candidate served. */
  candidateSeenAt: number | null;
}

export function startAnalysis(startedAt: number, signals: readonly string[]): AnalysisState {
  const known = signals.filter((s) => signalSpec(s) !== null);
  if (known.length === 0) throw new RangeError("an analysis needs at least one known signal");
  return {
    state: "pending",
    startedAt,
    decidedAt: null,
    reason: null,
    signals: Object.fromEntries(known.map((s) => [s, emptyDifference()])),
    lastMinute: null,
    candidateSeenAt: null,
  };
}

export type SignalDecision = "worse" | "no_worse" | "pending" | "not_observed";

export interface SignalResult {
  metric: string;
  incumbent: number | null;
  candidate: number | null;
  difference: number | null;
  /** The (1 − alpha / K) confidence sequence of the difference, as it stands. */
  ci: [number, number] | null;
  margin: number;
  decision: SignalDecision;
  nIncumbent: number;
  nCandidate: number;
}

/** The fail sequence's larger mixing scale, in margins: changes well past the margin are found fast too. */
export const FAIL_SCALE = 4;

const marginOf = (metric: string, o: VerdictOptions) =>
  o.margins[metric] ?? signalSpec(metric)?.margin ?? 0.05;

/** Every signal's estimate, interval and decision. */
export function signalResults(a: AnalysisState, o = DEFAULT_VERDICT_OPTIONS): SignalResult[] {
  const k = Object.keys(a.signals).length;
  return Object.entries(a.signals).map(([metric, s]) => {
    const margin = marginOf(metric, o);
    const base = { metric, margin, nIncumbent: s.na, nCandidate: s.nb };
    const e = estimate(s);
    if (!e) {
      const decision = s.na === 0 && s.nb === 0 ? "not_observed" : "pending";
      return { ...base, incumbent: null, candidate: null, difference: null, ci: null, decision };
    }
    const failRadius = multiScaleRadius(e.variance, [margin, FAIL_SCALE * margin], o.alpha / k);
    const passRadius = mixtureRadius(e.variance, margin, o.passAlpha);
    const enough = s.na >= o.minCount && s.nb >= o.minCount;
    let decision: SignalDecision = "pending";
    if (enough && e.difference - failRadius > 0) decision = "worse";
    else if (enough && e.difference + passRadius < margin) decision = "no_worse";
    return {
      ...base,
      incumbent: e.incumbentRate,
      candidate: e.candidateRate,
      difference: e.difference,
      ci: [e.difference - failRadius, e.difference + failRadius],
      decision,
    };
  });
}

/** Ends a pending analysis as superseded (a newer release, an explicit rollback). */
export function supersede(a: AnalysisState, now: number, reason: string): AnalysisState {
  return a.state === "pending" ? { ...a, state: "superseded", decidedAt: now, reason } : a;
}

/** Folds in the minutes after lastMinute (in order) and decides; a decided analysis stays. */
export function stepAnalysis(
  a: AnalysisState,
  minutes: readonly ArmMinute[],
  now: number,
  o = DEFAULT_VERDICT_OPTIONS,
): AnalysisState {
  if (a.state !== "pending") return a;
  let next: AnalysisState = { ...a, signals: { ...a.signals } };
  for (const m of [...minutes].sort((x, y) => x.minute - y.minute)) {
    if (m.minute < a.startedAt || (next.lastMinute !== null && m.minute <= next.lastMinute)) {
      continue;
    }
    for (const [metric, s] of Object.entries(next.signals)) {
      const inc = m.incumbent[metric];
      const cand = m.candidate[metric];
      if (inc && cand) next.signals[metric] = addMinute(s, inc, cand);
    }
    next.lastMinute = m.minute;
    if (m.requests.candidate > 0) next.candidateSeenAt = m.minute;
    if (
      next.candidateSeenAt !== null &&
      m.requests.incumbent > 0 &&
      m.minute - next.candidateSeenAt >= o.rollbackAfterMs
    ) {
      return supersede(next, now, "rolled back: the candidate stopped serving");
    }
  }
  const results = signalResults(next, o);
  if (results.some((r) => r.decision === "worse")) {
    return { ...next, state: "fail", decidedAt: now };
  }
  const observed = results.filter((r) => r.decision !== "not_observed");
  if (
    now - next.startedAt >= o.minDurationMs &&
    observed.length > 0 &&
    observed.every((r) => r.decision === "no_worse")
  ) {
    return { ...next, state: "pass", decidedAt: now };
  }
  if (now - next.startedAt >= o.maxDurationMs) {
    const reason =
      next.candidateSeenAt === null
        ? "the candidate never served"
        : "not enough traffic to decide in time";
    next = { ...next, state: "inconclusive", decidedAt: now, reason };
  }
  return next;
}
