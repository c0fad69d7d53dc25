// Sequential change detection per deployment, pure: each rate's per-minute counts and each
// distribution's per-minute quantile exceedances feed CUSUM banks (src/drift), whose state
// lives between evaluations in the deployment's Durable Object. Thresholds come from the false-
// alarm budget (one alarm per `days` per deployment, split evenly across the watched metrics)
// through Siegmund's approximation, re-derived each minute from the baseline's rates and traffic.
import {
  type BankState,
  designBernoulliBank,
  designExceedanceDetector,
  exceedanceStreams,
  initialBankState,
  RISE_ODDS_RATIOS,
  type ShiftDirection,
  stepBernoulliBank,
  stepExceedance,
} from "../../drift";
import type { Bucket } from "../../monitor/bucket";
import { MINUTE_MS } from "../../shared/time";
import { isRateMetric, type Metric } from "../rules/rule-metrics";
import { rateCounts, sketchOf } from "./metric-values";
import { countAtOrBelow, type Steps, stepQuantile, stepsOf } from "./sketch-steps";

/** Minutes in a day (budgets are stated in days between false alarms). */
export const DAY_MINUTES = 1440;

/** Minutes between false alarms each watched metric may spend: the deployment's budget split. */
export function metricArl0(days: number, metrics: number): number {
  return days * DAY_MINUTES * Math.max(1, metrics);
}

export interface SequentialState {
  /** Baseline and release identity: state restarts when it changes. */
  key: string;
  /** Start of the last 1-minute bucket fed in (epoch ms). */
  lastMinute: number;
  /** Per metric, one bank state per stream (rates have one stream). */
  banks: Record<string, BankState[]>;
}

export interface SequentialMetric {
  metric: Metric;
  direction: ShiftDirection;
}

/** What the detector says about one metric after the latest minute. */
export interface SequentialReading {
  metric: Metric;
  alarm: boolean;
  /** The CUSUM statistic (log-likelihood ratio) of the arm closest to its threshold. */
  statistic: number;
  threshold: number;
  /** Baseline rate of the stream (the rate, or the share beyond a baseline quantile). */
  baselineRate: number;
  /** The stream's rate since the estimated change. */
  estimate: number;
  /** Estimated start of the change (epoch ms). */
  changeMinute: number;
  /** For distributions: the baseline quantile the stream counts beyond, and its value. */
  quantile?: number;
  edge?: number;
}

/** Stream counts of one metric in one bucket, and how the detector is designed for it. */
interface Feed {
  p0s: number[];
  perMinute: number;
  quantiles?: number[];
  edges?: number[];
  counts: (b: Bucket) => { beyond: number[]; n: number };
}

// Add-half estimate keeps p0 inside (0, 1) when the baseline saw no (or only) successes.
const smoothed = (x: number, n: number) => (x + 0.5) / (n + 1);

function feedOf(m: SequentialMetric, baseline: Bucket, baselineMinutes: number): Feed | null {
  if (isRateMetric(m.metric)) {
    const metric = m.metric;
    const r = rateCounts(baseline, metric);
    if (r.trials === 0) return null;
    return {
      p0s: [smoothed(r.successes, r.trials)],
      perMinute: r.trials / baselineMinutes,
      counts: (b) => {
        const c = rateCounts(b, metric);
        return { beyond: [c.successes], n: c.trials };
      },
    };
  }
  const base = stepsOf(sketchOf(baseline, m.metric));
  if (base.total === 0) return null;
  const streams = exceedanceStreams(m.direction);
  const edges = streams.map((s) => stepQuantile(base, s.quantile) ?? 0);
  const beyond = (steps: Steps, i: number) => {
    const below = countAtOrBelow(steps, edges[i] ?? 0);
    return m.direction === "up" ? steps.total - below : below;
  };
  return {
    p0s: streams.map((_, i) => smoothed(beyond(base, i), base.total)),
    perMinute: base.total / baselineMinutes,
    quantiles: streams.map((s) => s.quantile),
    edges,
    counts: (b) => {
      const steps = stepsOf(sketchOf(b, m.metric));
      return { beyond: streams.map((_, i) => beyond(steps, i)), n: steps.total };
    },
  };
}

export interface AdvanceInput {
  previous: SequentialState | null;
  key: string;
  metrics: readonly SequentialMetric[];
  baseline: Bucket | null;
  baselineMinutes: number;
  /** Complete 1-minute buckets newer than previous.lastMinute, oldest first. */
  minutes: readonly { start: number; bucket: Bucket }[];
  /** The minute evaluated; a fresh state starts here. */
  now: number;
  /** Mean days between false alarms for the whole deployment. */
  days: number;
}

/** Feeds the new minutes to each metric's banks; a new key (baseline, release) starts afresh. */
export function advanceSequential(input: AdvanceInput): {
  state: SequentialState;
  readings: Map<Metric, SequentialReading>;
} {
  const fresh = input.previous === null || input.previous.key !== input.key;
  const state: SequentialState = fresh
    ? { key: input.key, lastMinute: input.now - MINUTE_MS, banks: {} }
    : { ...(input.previous as SequentialState), banks: { ...input.previous?.banks } };
  const readings = new Map<Metric, SequentialReading>();
  const minutes = fresh ? [] : input.minutes.filter((m) => m.start > state.lastMinute);
  if (input.baseline === null || input.metrics.length === 0) {
    return { state: advanceClock(state, minutes), readings };
  }
  const arl0 = metricArl0(input.days, input.metrics.length);
  for (const m of input.metrics) {
    const feed = feedOf(m, input.baseline, Math.max(1, input.baselineMinutes));
    if (feed === null || feed.perMinute <= 0) continue;
    let banks = state.banks[m.metric];
    if (feed.quantiles === undefined) {
      const bank = designBernoulliBank({
        p0: feed.p0s[0] ?? 0.5,
        oddsRatios: RISE_ODDS_RATIOS,
        arl0,
        trialsPerStep: feed.perMinute,
      });
      let s = banks?.[0] ?? initialBankState(bank, minuteIndex(state.lastMinute) + 1);
      for (const { start, bucket } of minutes) {
        const { beyond, n } = feed.counts(bucket);
        const r = stepBernoulliBank(bank, s, minuteIndex(start), beyond[0] ?? 0, n);
        s = r.state;
      }
      banks = [s];
      readings.set(m.metric, reading(m.metric, banks, [bank], feed));
    } else {
      const streams = exceedanceStreams(m.direction);
      const detector = designExceedanceDetector(streams, feed.p0s, arl0, feed.perMinute);
      let s =
        banks && banks.length === streams.length
          ? banks
          : detector.banks.map((b) => initialBankState(b, minuteIndex(state.lastMinute) + 1));
      for (const { start, bucket } of minutes) {
        const { beyond, n } = feed.counts(bucket);
        const r = stepExceedance(detector, s, minuteIndex(start), beyond, n);
        s = r.state;
      }
      banks = s;
      readings.set(m.metric, reading(m.metric, banks, detector.banks, feed));
    }
    state.banks[m.metric] = banks;
  }
  return { state: advanceClock(state, minutes), readings };
}

const minuteIndex = (ms: number) => Math.floor(ms / MINUTE_MS);

function advanceClock(
  state: SequentialState,
  minutes: readonly { start: number }[],
): SequentialState {
  const last = minutes[minutes.length - 1];
  return last ? { ...state, lastMinute: Math.max(state.lastMinute, last.start) } : state;
}

// The arm furthest past (or nearest) its threshold, relative to it, stands for the metric; the
// alarm holds while any arm is at or above its threshold, so a re-run minute reads the same.
function reading(
  metric: Metric,
  states: BankState[],
  banks: { p0: number; arms: { threshold: number }[] }[],
  feed: Feed,
): SequentialReading {
  let best = { stream: 0, arm: 0, ratio: -1 };
  states.forEach((bank, stream) => {
    bank.forEach((arm, i) => {
      const t = banks[stream]?.arms[i]?.threshold ?? Number.POSITIVE_INFINITY;
      const ratio = t > 0 ? arm.statistic / t : arm.statistic > 0 ? 1 : 0;
      if (ratio > best.ratio) best = { stream, arm: i, ratio };
    });
  });
  const arm = states[best.stream]?.[best.arm];
  const p0 = banks[best.stream]?.p0 ?? 0;
  const statistic = arm?.statistic ?? 0;
  return {
    metric,
    alarm: statistic > 0 && best.ratio >= 1,
    statistic,
    threshold: banks[best.stream]?.arms[best.arm]?.threshold ?? 0,
    baselineRate: p0,
    estimate: arm && arm.trials > 0 ? arm.successes / arm.trials : p0,
    changeMinute: (arm?.start ?? 0) * MINUTE_MS,
    ...(feed.quantiles
      ? { quantile: feed.quantiles[best.stream], edge: feed.edges?.[best.stream] }
      : {}),
  };
}
